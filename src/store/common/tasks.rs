//! Tasks for the shop's people: callbacks and bookings the assistant could not finish itself,
//! open until someone marks them done with a note.

/// Hands the tasks methods to [`store_methods!`](super::store_methods).
macro_rules! task_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
            async fn create_task(&self, new: &NewTask) -> Result<Task> {
                let id = Uuid::now_v7();
                let row = sqlx::query_as::<_, TaskRow>(
                    "INSERT INTO tasks (id, business_id, contact_id, conversation_id, kind, urgency, title, context,
                                        created_at_us, idempotency_key)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                     ON CONFLICT (idempotency_key) DO NOTHING RETURNING *",
                )
                .bind(id.to_string())
                .bind(&new.business_id)
                .bind(new.contact_id.map(|c| c.to_string()))
                .bind(new.conversation_id.map(|c| c.to_string()))
                .bind(name_of(&new.kind))
                .bind(&new.urgency)
                .bind(&new.title)
                .bind(to_text(&new.context))
                .bind(us(new.at))
                .bind(&new.key)
                .fetch_optional(&self.writer)
                .await?;
                if let Some(row) = row {
                    return row.into_task();
                }
                let key = new.key.clone().unwrap_or_default();
                sqlx::query_as::<_, TaskRow>("SELECT * FROM tasks WHERE idempotency_key = $1")
                    .bind(&key)
                    .fetch_optional(&self.writer)
                    .await?
                    .ok_or(StoreError::NotFound { what: "task", id: key })?
                    .into_task()
            }

            async fn tasks(&self, business_id: &str, open_only: bool) -> Result<Vec<Task>> {
                let rows = sqlx::query_as::<_, TaskRow>(
                    "SELECT * FROM tasks WHERE business_id = $1 AND (done = FALSE OR $2 = FALSE)
                     ORDER BY created_at_us DESC",
                )
                .bind(business_id)
                .bind(open_only)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, TaskRow::into_task)
            }

            async fn complete_task(&self, business_id: &str, id: Uuid, note: &str, at: Timestamp) -> Result<Option<Task>> {
                sqlx::query_as::<_, TaskRow>(
                    "UPDATE tasks SET done = TRUE, done_note = $1, done_at_us = $2
                     WHERE business_id = $3 AND id = $4 RETURNING *",
                )
                .bind(note)
                .bind(us(at))
                .bind(business_id)
                .bind(id.to_string())
                .fetch_optional(&self.writer)
                .await?
                .map(TaskRow::into_task)
                .transpose()
            }
        }
    };
}

pub(crate) use task_methods;
