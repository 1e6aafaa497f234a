//! Repair status, estimates and the shared inbox: where a car in the shop stands, the estimates
//! sent for approval and their first answer, the pause a staff takeover puts on a thread, and
//! the inbox's list of conversations with their last line and read mark.

/// Hands the repair methods to [`store_methods!`](super::store_methods).
macro_rules! repair_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
            async fn set_work(&self, business_id: &str, id: Uuid, work: &Work) -> Result<Option<Appointment>> {
                sqlx::query(
                    "UPDATE appointments SET work_status = $1, work_note = $2, work_expected_us = $3,
                            work_updated_us = $4, updated_at_us = $4
                     WHERE business_id = $5 AND id = $6",
                )
                .bind(name_of(&work.status))
                .bind(&work.note)
                .bind(work.expected.map(us))
                .bind(us(work.updated_at))
                .bind(business_id)
                .bind(id.to_string())
                .execute(&self.writer)
                .await?;
                self.appointment(business_id, id).await
            }

            async fn appointments_in_shop(&self, business_id: &str, since: Timestamp) -> Result<Vec<Appointment>> {
                let rows = sqlx::query_as::<_, AppointmentRow>(
                    "SELECT * FROM appointments WHERE business_id = $1 AND work_status IS NOT NULL
                     AND work_status != 'picked_up' AND start_us >= $2
                     ORDER BY work_updated_us DESC",
                )
                .bind(business_id)
                .bind(us(since))
                .fetch_all(&self.pool)
                .await?;
                collect(rows, AppointmentRow::into_appointment)
            }

            async fn create_estimate(&self, new: &NewEstimate) -> Result<Estimate> {
                sqlx::query_as::<_, EstimateRow>(
                    "INSERT INTO estimates (id, business_id, appointment_id, amount_cents, description, created_by, created_at_us)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(&new.business_id)
                .bind(new.appointment_id.to_string())
                .bind(new.amount_cents)
                .bind(&new.description)
                .bind(&new.created_by)
                .bind(us(new.at))
                .fetch_one(&self.writer)
                .await?
                .into_estimate()
            }

            async fn estimates(&self, business_id: &str, appointment_id: Uuid) -> Result<Vec<Estimate>> {
                let rows = sqlx::query_as::<_, EstimateRow>(
                    "SELECT * FROM estimates WHERE business_id = $1 AND appointment_id = $2
                     ORDER BY created_at_us DESC, id DESC",
                )
                .bind(business_id)
                .bind(appointment_id.to_string())
                .fetch_all(&self.pool)
                .await?;
                collect(rows, EstimateRow::into_estimate)
            }

            async fn answer_estimate(
                &self,
                business_id: &str,
                id: Uuid,
                answer: EstimateAnswer,
                text: &str,
                at: Timestamp,
            ) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE estimates SET answer = $1, answer_text = $2, answered_at_us = $3
                     WHERE business_id = $4 AND id = $5 AND answer IS NULL",
                )
                .bind(name_of(&answer))
                .bind(text)
                .bind(us(at))
                .bind(business_id)
                .bind(id.to_string())
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_paused(
                &self,
                business_id: &str,
                contact_id: Uuid,
                until: Option<Timestamp>,
                by: Option<&str>,
            ) -> Result<()> {
                sqlx::query("UPDATE contacts SET paused_until_us = $1, paused_by = $2 WHERE business_id = $3 AND id = $4")
                    .bind(until.map(us))
                    .bind(by)
                    .bind(business_id)
                    .bind(contact_id.to_string())
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn inbox(&self, business_id: &str, since: Timestamp, limit: i64) -> Result<Vec<InboxItem>> {
                let rows: Vec<(String, Option<i64>, Option<String>, Option<String>, Option<i64>)> = sqlx::query_as(
                    "SELECT c.id,
                        (SELECT t.created_at_us FROM turns t WHERE t.conversation_id = c.id ORDER BY t.seq DESC LIMIT 1),
                        (SELECT t.text FROM turns t WHERE t.conversation_id = c.id ORDER BY t.seq DESC LIMIT 1),
                        (SELECT t.speaker FROM turns t WHERE t.conversation_id = c.id ORDER BY t.seq DESC LIMIT 1),
                        (SELECT MAX(t.created_at_us) FROM turns t WHERE t.conversation_id = c.id AND t.speaker = 'caller')
                     FROM conversations c WHERE c.business_id = $1 AND c.started_at_us >= $2
                     ORDER BY c.started_at_us DESC LIMIT $3",
                )
                .bind(business_id)
                .bind(us(since))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                let mut items = Vec::with_capacity(rows.len());
                for (cid, last_us, last_text, speaker, caller_us) in rows {
                    let Some(conversation) = self.conversation(business_id, id(&cid)?).await? else {
                        continue;
                    };
                    let unread = match (caller_us, conversation.read_at) {
                        (Some(said), Some(read)) => said > us(read),
                        (Some(_), None) => true,
                        (None, _) => false,
                    };
                    items.push(InboxItem {
                        conversation,
                        last_at: ts_opt(last_us)?,
                        last_text,
                        last_speaker: match speaker {
                            Some(s) => Some(word::<Speaker>("speaker", &s)?),
                            None => None,
                        },
                        unread,
                    });
                }
                items.sort_by_key(|i| std::cmp::Reverse(i.last_at.unwrap_or(i.conversation.started_at)));
                Ok(items)
            }

            async fn mark_read(&self, business_id: &str, conversation_id: Uuid, at: Timestamp) -> Result<()> {
                sqlx::query("UPDATE conversations SET read_at_us = $1 WHERE business_id = $2 AND id = $3")
                    .bind(us(at))
                    .bind(business_id)
                    .bind(conversation_id.to_string())
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use repair_methods;
