//! `GET /`: where a signed-in user lands. An owner or staff member goes to their business's
//! Today page; an operator with one business goes to it, with several picks one from a list.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect};

use crate::app::App;
use crate::dashboard::page::{Chrome, Res, render};
use crate::dashboard::session::Who;

/// `GET /`: an owner goes to their business; an operator picks one.
pub async fn home(State(app): State<App>, who: Who) -> Res {
    if let Some(to) = who.landing() {
        return Ok(Redirect::to(&to).into_response());
    }
    let dir = app.directory();
    if dir.all().len() == 1 {
        let id = &dir.all()[0].profile().business.id;
        return Ok(Redirect::to(&format!("/b/{id}")).into_response());
    }
    let businesses = dir
        .all()
        .iter()
        .map(|e| {
            (
                e.profile().business.id.clone(),
                e.profile().business.name.clone(),
            )
        })
        .collect();
    Ok(render(&Businesses {
        chrome: Chrome {
            csrf: who.csrf,
            ..Chrome::default()
        },
        businesses,
    }))
}

#[derive(askama::Template)]
#[template(path = "dashboard/businesses.html")]
struct Businesses {
    chrome: Chrome,
    businesses: Vec<(String, String)>,
}
