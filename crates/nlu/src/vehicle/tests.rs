use super::*;

fn v(text: &str) -> Option<Vehicle> {
    find(&Normalized::new(text))
}

#[test]
fn an_08_civic_is_a_2008_honda_civic() {
    let got = v("it's an 08 Civic").expect("a vehicle");
    assert_eq!(got.year, Some(2008));
    assert_eq!(got.make.as_deref(), Some("Honda"));
    assert_eq!(got.model.as_deref(), Some("Civic"));
}

#[test]
fn my_f_150_is_a_ford_f_150() {
    let got = v("my F-150 is making noise").expect("a vehicle");
    assert_eq!(got.make.as_deref(), Some("Ford"));
    assert_eq!(got.model.as_deref(), Some("F-150"));
}

#[test]
fn make_nicknames_resolve() {
    assert_eq!(
        v("chevy silverado").and_then(|x| x.make).as_deref(),
        Some("Chevrolet")
    );
    assert_eq!(
        v("a vw jetta").and_then(|x| x.model).as_deref(),
        Some("Jetta")
    );
}

#[test]
fn spoken_model_years_are_read() {
    assert_eq!(
        v("a twenty fifteen Honda Civic").and_then(|x| x.year),
        Some(2015)
    );
    assert_eq!(v("an oh nine Silverado").and_then(|x| x.year), Some(2009));
    assert_eq!(
        v("Toyota Corolla, I think it's a 2011").and_then(|x| x.year),
        Some(2011)
    );
}

#[test]
fn everyday_words_are_no_models() {
    assert_eq!(v("can you fit me in on the edge of the day"), None);
}

#[test]
fn mileage_reads_k_and_commas() {
    assert_eq!(mileage(&Normalized::new("about 85k miles")), Some(85_000));
    assert_eq!(
        mileage(&Normalized::new("it has 85,000 miles")),
        Some(85_000)
    );
    assert_eq!(mileage(&Normalized::new("at 3 tomorrow")), None);
    assert_eq!(
        mileage(&Normalized::new("it's got 180k on it")),
        Some(180_000)
    );
}
