//! The [`Store`](super::Store) methods whose SQL reads the same on both dialects, written once
//! and expanded into each implementation. Dialect-specific methods (booking, job claims) are
//! passed in by the implementation.

/// Expands to `#[async_trait] impl Store for $ty { $special ... common methods ... }`.
/// `$ty` must have a `pool` field (for reads) and a `writer` field (for every statement that
/// writes) of a sqlx pool type; they may be the same pool.
/// No appointment lasts longer than this: overlap queries look back only this far from the
/// window they check, so they use the start index instead of walking the business's history.
pub(crate) const LONGEST_APPOINTMENT_US: i64 = 31 * 24 * 3600 * 1_000_000;

macro_rules! impl_store {
    ($ty:ty, $db:ty, $dialect:literal, { $($special:tt)* }) => {
        impl $ty {
            /// Whether one more appointment fits `[start, end)` beside the others that hold a
            /// slot, inside the write transaction that will insert it.
            async fn capacity_ok(
                tx: &mut sqlx::Transaction<'static, $db>,
                business_id: &str,
                start: Timestamp,
                end: Timestamp,
                bays: u32,
                ignore: Option<Uuid>,
            ) -> Result<bool> {
                let others: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT start_us, end_us FROM appointments WHERE business_id = $1 AND start_us < $2 AND end_us > $3
                     AND start_us > $5 AND status IN ('booked', 'confirmed', 'pending') AND id != $4",
                )
                .bind(business_id)
                .bind(us(end))
                .bind(us(start))
                .bind(ignore.map(|i| i.to_string()).unwrap_or_default())
                .bind(us(start) - $crate::store::common::LONGEST_APPOINTMENT_US)
                .fetch_all(&mut **tx)
                .await?;
                Ok(max_overlap(&others, us(start), us(end)) < bays)
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::Store for $ty {
            $($special)*

            async fn book(&self, new: &NewAppointment, bays: u32) -> Result<BookOutcome> {
                let mut tx = Self::begin_write(&self.writer, &new.business_id).await?;
                // The key is checked under the lock, so a racing retry sees the first attempt's row.
                if let Some(key) = &new.idempotency_key {
                    if let Some(row) = sqlx::query_as::<_, AppointmentRow>(
                        "SELECT * FROM appointments WHERE business_id = $1 AND idempotency_key = $2",
                    )
                    .bind(&new.business_id)
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?
                    {
                        return Ok(BookOutcome::Replayed(row.into_appointment()?));
                    }
                }
                if !Self::capacity_ok(&mut tx, &new.business_id, new.start, new.end, bays, None).await? {
                    return Ok(BookOutcome::Taken);
                }
                let now = us(new.at);
                let row = sqlx::query_as::<_, AppointmentRow>(
                    "INSERT INTO appointments (id, business_id, contact_id, service_id, start_us, end_us, status, source,
                                               vehicle, notes, idempotency_key, created_at_us, updated_at_us)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING *",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(&new.business_id)
                .bind(new.contact_id.map(|c| c.to_string()))
                .bind(&new.service_id)
                .bind(us(new.start))
                .bind(us(new.end))
                .bind(name_of(&new.status))
                .bind(&new.source)
                .bind(new.vehicle.as_ref().map(to_text))
                .bind(&new.notes)
                .bind(&new.idempotency_key)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(BookOutcome::Booked(row.into_appointment()?))
            }

            async fn reschedule(
                &self,
                business_id: &str,
                id: Uuid,
                start: Timestamp,
                end: Timestamp,
                bays: u32,
                at: Timestamp,
            ) -> Result<BookOutcome> {
                let mut tx = Self::begin_write(&self.writer, business_id).await?;
                let Some(current) = sqlx::query_as::<_, AppointmentRow>(
                    "SELECT * FROM appointments WHERE business_id = $1 AND id = $2",
                )
                .bind(business_id)
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?
                else {
                    return Err(StoreError::NotFound { what: "appointment", id: id.to_string() });
                };
                if !Self::capacity_ok(&mut tx, business_id, start, end, bays, Some(id)).await? {
                    return Ok(BookOutcome::Taken);
                }
                sqlx::query("UPDATE appointments SET start_us = $1, end_us = $2, updated_at_us = $3 WHERE id = $4")
                    .bind(us(start))
                    .bind(us(end))
                    .bind(us(at))
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                let mut moved = current.into_appointment()?;
                moved.start = start;
                moved.end = end;
                moved.updated_at = at;
                Ok(BookOutcome::Booked(moved))
            }

            fn dialect(&self) -> &'static str {
                $dialect
            }

            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn upsert_business(
                &self,
                id: &str,
                name: &str,
                profile_toml: &str,
                at: Timestamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO businesses (id, name, profile_toml, updated_at_us) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (id) DO UPDATE SET name = $2, profile_toml = $3, updated_at_us = $4",
                )
                .bind(id)
                .bind(name)
                .bind(profile_toml)
                .bind(us(at))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn business_profile(&self, id: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar("SELECT profile_toml FROM businesses WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn feed_secret(&self, business_id: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar::<_, Option<String>>("SELECT feed_secret FROM businesses WHERE id = $1")
                    .bind(business_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .flatten())
            }

            async fn set_feed_secret(&self, business_id: &str, secret: &str) -> Result<()> {
                sqlx::query("UPDATE businesses SET feed_secret = $1 WHERE id = $2")
                    .bind(secret)
                    .bind(business_id)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn business_by_feed_secret(&self, secret: &str) -> Result<Option<String>> {
                Ok(sqlx::query_scalar("SELECT id FROM businesses WHERE feed_secret = $1")
                    .bind(secret)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn move_appointment(&self, business_id: &str, id: Uuid, start: Timestamp, end: Timestamp, at: Timestamp) -> Result<()> {
                sqlx::query("UPDATE appointments SET start_us = $1, end_us = $2, updated_at_us = $3 WHERE business_id = $4 AND id = $5")
                    .bind(us(start))
                    .bind(us(end))
                    .bind(us(at))
                    .bind(business_id)
                    .bind(id.to_string())
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn upsert_contact(&self, business_id: &str, phone: &str, at: Timestamp) -> Result<Contact> {
                sqlx::query(
                    "INSERT INTO contacts (id, business_id, phone, created_at_us, updated_at_us)
                     VALUES ($1, $2, $3, $4, $4) ON CONFLICT (business_id, phone) DO NOTHING",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(business_id)
                .bind(phone)
                .bind(us(at))
                .execute(&self.writer)
                .await?;
                self.contact_by_phone(business_id, phone).await?.ok_or_else(|| StoreError::NotFound {
                    what: "contact",
                    id: phone.to_string(),
                })
            }

            async fn contact(&self, business_id: &str, id: Uuid) -> Result<Option<Contact>> {
                sqlx::query_as::<_, ContactRow>("SELECT * FROM contacts WHERE business_id = $1 AND id = $2")
                    .bind(business_id)
                    .bind(id.to_string())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(ContactRow::into_contact)
                    .transpose()
            }

            async fn contact_by_phone(&self, business_id: &str, phone: &str) -> Result<Option<Contact>> {
                sqlx::query_as::<_, ContactRow>("SELECT * FROM contacts WHERE business_id = $1 AND phone = $2")
                    .bind(business_id)
                    .bind(phone)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(ContactRow::into_contact)
                    .transpose()
            }

            async fn update_contact(&self, c: &Contact, at: Timestamp) -> Result<()> {
                sqlx::query(
                    "UPDATE contacts SET name = $1, vehicles = $2, notes = $3, updated_at_us = $4
                     WHERE business_id = $5 AND id = $6",
                )
                .bind(&c.name)
                .bind(to_text(&c.vehicles))
                .bind(&c.notes)
                .bind(us(at))
                .bind(&c.business_id)
                .bind(c.id.to_string())
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn set_opt_out(
                &self,
                business_id: &str,
                phone: &str,
                opted_out: bool,
                at: Timestamp,
            ) -> Result<Contact> {
                self.upsert_contact(business_id, phone, at).await?;
                sqlx::query(
                    "UPDATE contacts SET opted_out = $1, opted_out_at_us = $2, updated_at_us = $3
                     WHERE business_id = $4 AND phone = $5",
                )
                .bind(opted_out)
                .bind(opted_out.then(|| us(at)))
                .bind(us(at))
                .bind(business_id)
                .bind(phone)
                .execute(&self.writer)
                .await?;
                self.upsert_contact(business_id, phone, at).await
            }

            async fn contacts(&self, business_id: &str, limit: i64) -> Result<Vec<Contact>> {
                let rows = sqlx::query_as::<_, ContactRow>(
                    "SELECT * FROM contacts WHERE business_id = $1 ORDER BY updated_at_us DESC LIMIT $2",
                )
                .bind(business_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, ContactRow::into_contact)
            }

            async fn set_last_review(&self, business_id: &str, contact_id: Uuid, at: Timestamp) -> Result<()> {
                sqlx::query("UPDATE contacts SET last_review_at_us = $1 WHERE business_id = $2 AND id = $3")
                    .bind(us(at))
                    .bind(business_id)
                    .bind(contact_id.to_string())
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn open_conversation(&self, new: &NewConversation) -> Result<Conversation> {
                let id = Uuid::now_v7();
                sqlx::query(
                    "INSERT INTO conversations (id, business_id, contact_id, channel, external_id, started_at_us)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (business_id, channel, external_id) DO NOTHING",
                )
                .bind(id.to_string())
                .bind(&new.business_id)
                .bind(new.contact_id.map(|c| c.to_string()))
                .bind(name_of(&new.channel))
                .bind(&new.external_id)
                .bind(us(new.started_at))
                .execute(&self.writer)
                .await?;
                let found = match &new.external_id {
                    Some(ext) => self.conversation_by_external(&new.business_id, new.channel, ext).await?,
                    None => self.conversation(&new.business_id, id).await?,
                };
                found.ok_or_else(|| StoreError::NotFound { what: "conversation", id: id.to_string() })
            }

            async fn conversation(&self, business_id: &str, id: Uuid) -> Result<Option<Conversation>> {
                sqlx::query_as::<_, ConversationRow>(
                    "SELECT * FROM conversations WHERE business_id = $1 AND id = $2",
                )
                .bind(business_id)
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?
                .map(ConversationRow::into_conversation)
                .transpose()
            }

            async fn conversation_by_external(
                &self,
                business_id: &str,
                channel: Channel,
                external_id: &str,
            ) -> Result<Option<Conversation>> {
                sqlx::query_as::<_, ConversationRow>(
                    "SELECT * FROM conversations WHERE business_id = $1 AND channel = $2 AND external_id = $3",
                )
                .bind(business_id)
                .bind(name_of(&channel))
                .bind(external_id)
                .fetch_optional(&self.pool)
                .await?
                .map(ConversationRow::into_conversation)
                .transpose()
            }

            async fn save_state(&self, id: Uuid, state: &Value, version: i64) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE conversations SET state = $1, version = version + 1 WHERE id = $2 AND version = $3",
                )
                .bind(to_text(state))
                .bind(id.to_string())
                .bind(version)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn end_conversation(
                &self,
                id: Uuid,
                at: Timestamp,
                outcome: &str,
                summary: Option<&str>,
            ) -> Result<()> {
                sqlx::query(
                    "UPDATE conversations SET ended_at_us = COALESCE(ended_at_us, $1), outcome = $2,
                     summary = COALESCE($3, summary) WHERE id = $4",
                )
                .bind(us(at))
                .bind(outcome)
                .bind(summary)
                .bind(id.to_string())
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn conversations(&self, business_id: &str, range: Range, limit: i64) -> Result<Vec<Conversation>> {
                let rows = sqlx::query_as::<_, ConversationRow>(
                    "SELECT * FROM conversations WHERE business_id = $1 AND started_at_us >= $2 AND started_at_us < $3
                     ORDER BY started_at_us DESC LIMIT $4",
                )
                .bind(business_id)
                .bind(us(range.from))
                .bind(us(range.to))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, ConversationRow::into_conversation)
            }

            async fn conversations_of_contact(&self, business_id: &str, contact_id: Uuid) -> Result<Vec<Conversation>> {
                let rows = sqlx::query_as::<_, ConversationRow>(
                    "SELECT * FROM conversations WHERE business_id = $1 AND contact_id = $2 ORDER BY started_at_us DESC",
                )
                .bind(business_id)
                .bind(contact_id.to_string())
                .fetch_all(&self.pool)
                .await?;
                collect(rows, ConversationRow::into_conversation)
            }

            async fn has_other_conversation(&self, business_id: &str, contact_id: Uuid, except: Uuid) -> Result<bool> {
                let found: Option<i64> = sqlx::query_scalar(
                    "SELECT CAST(1 AS BIGINT) FROM conversations WHERE contact_id = $1 AND business_id = $2 AND id != $3 LIMIT 1",
                )
                .bind(contact_id.to_string())
                .bind(business_id)
                .bind(except.to_string())
                .fetch_optional(&self.pool)
                .await?;
                Ok(found.is_some())
            }

            async fn turn_by_key(&self, conversation_id: Uuid, key: &str) -> Result<Option<Turn>> {
                sqlx::query_as::<_, TurnRow>(
                    "SELECT * FROM turns WHERE conversation_id = $1 AND dedupe_key = $2",
                )
                .bind(conversation_id.to_string())
                .bind(key)
                .fetch_optional(&self.pool)
                .await?
                .map(TurnRow::into_turn)
                .transpose()
            }

            async fn pending_inbound(&self, conversation_id: Uuid) -> Result<Vec<Turn>> {
                let rows = sqlx::query_as::<_, TurnRow>(
                    "SELECT * FROM turns t WHERE t.conversation_id = $1 AND t.speaker = 'caller'
                     AND t.dedupe_key IS NOT NULL AND t.dedupe_key NOT LIKE '%#%'
                     AND NOT EXISTS (SELECT 1 FROM turns r WHERE r.conversation_id = t.conversation_id
                                     AND r.dedupe_key = t.dedupe_key || '#reply')
                     ORDER BY t.seq",
                )
                .bind(conversation_id.to_string())
                .fetch_all(&self.writer)
                .await?;
                collect(rows, TurnRow::into_turn)
            }

            async fn commit_turn(&self, c: &TurnCommit) -> Result<bool> {
                let conv = c.conversation_id.to_string();
                let mut tx = self.writer.begin().await?;
                let moved = sqlx::query(
                    "UPDATE conversations SET state = $1, version = version + 1 WHERE id = $2 AND version = $3",
                )
                .bind(to_text(&c.state))
                .bind(&conv)
                .bind(c.version)
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() != 1 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                let r = &c.reply;
                let mut written = false;
                // Another node may append a caller's message meanwhile: take the next seq and try again.
                for _ in 0..8 {
                    let inserted: Option<(String,)> = sqlx::query_as(
                        "INSERT INTO turns (id, conversation_id, seq, speaker, text, understanding, flow, effects,
                                            processing_us, dedupe_key, created_at_us)
                         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10
                         FROM turns WHERE conversation_id = $2
                         ON CONFLICT DO NOTHING RETURNING id",
                    )
                    .bind(Uuid::now_v7().to_string())
                    .bind(&conv)
                    .bind(name_of(&r.speaker))
                    .bind(&r.text)
                    .bind(r.understanding.as_ref().map(to_text))
                    .bind(&r.flow)
                    .bind(to_text(&r.effects))
                    .bind(r.processing_us)
                    .bind(&r.dedupe_key)
                    .bind(us(r.at))
                    .fetch_optional(&mut *tx)
                    .await?;
                    if inserted.is_some() {
                        written = true;
                        break;
                    }
                    if let Some(key) = &r.dedupe_key {
                        let stored: Option<(String,)> = sqlx::query_as(
                            "SELECT id FROM turns WHERE conversation_id = $1 AND dedupe_key = $2",
                        )
                        .bind(&conv)
                        .bind(key)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if stored.is_some() {
                            written = true;
                            break;
                        }
                    }
                }
                if !written {
                    tx.rollback().await?;
                    return Err(StoreError::Corrupt { what: "turn", detail: format!("could not append to conversation {conv:?}") });
                }
                if let (Some(key), Some(u)) = (&c.caller_key, &c.understanding) {
                    sqlx::query("UPDATE turns SET understanding = $1 WHERE conversation_id = $2 AND dedupe_key = $3")
                        .bind(to_text(u))
                        .bind(&conv)
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn append_turn(&self, new: &NewTurn) -> Result<(Turn, bool)> {
                let conv = new.conversation_id.to_string();
                // One statement in the common case: the insert returns the row. Two writers racing
                // for the same seq: the loser retries with the next one; a delivery whose dedupe key
                // is already stored inserts nothing and resolves to the stored turn.
                for _ in 0..8 {
                    let inserted = sqlx::query_as::<_, TurnRow>(
                        "INSERT INTO turns (id, conversation_id, seq, speaker, text, understanding, flow, effects,
                                            processing_us, dedupe_key, created_at_us)
                         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10
                         FROM turns WHERE conversation_id = $2
                         ON CONFLICT DO NOTHING RETURNING *",
                    )
                    .bind(Uuid::now_v7().to_string())
                    .bind(&conv)
                    .bind(name_of(&new.speaker))
                    .bind(&new.text)
                    .bind(new.understanding.as_ref().map(to_text))
                    .bind(&new.flow)
                    .bind(to_text(&new.effects))
                    .bind(new.processing_us)
                    .bind(&new.dedupe_key)
                    .bind(us(new.at))
                    .fetch_optional(&self.writer)
                    .await?;
                    if let Some(row) = inserted {
                        return Ok((row.into_turn()?, true));
                    }
                    if let Some(key) = &new.dedupe_key {
                        if let Some(turn) = self.turn_by_key(new.conversation_id, key).await? {
                            return Ok((turn, false));
                        }
                    }
                }
                Err(StoreError::Corrupt { what: "turn", detail: format!("could not append to conversation {conv:?}") })
            }

            async fn turns(&self, conversation_id: Uuid) -> Result<Vec<Turn>> {
                let rows = sqlx::query_as::<_, TurnRow>(
                    "SELECT * FROM turns WHERE conversation_id = $1 ORDER BY seq",
                )
                .bind(conversation_id.to_string())
                .fetch_all(&self.pool)
                .await?;
                collect(rows, TurnRow::into_turn)
            }

            async fn set_appointment_status(
                &self,
                business_id: &str,
                id: Uuid,
                status: AppointmentStatus,
                at: Timestamp,
            ) -> Result<Option<Appointment>> {
                sqlx::query("UPDATE appointments SET status = $1, updated_at_us = $2 WHERE business_id = $3 AND id = $4")
                    .bind(name_of(&status))
                    .bind(us(at))
                    .bind(business_id)
                    .bind(id.to_string())
                    .execute(&self.writer)
                    .await?;
                self.appointment(business_id, id).await
            }

            async fn set_appointment_external_id(&self, id: Uuid, external_id: &str) -> Result<()> {
                sqlx::query("UPDATE appointments SET external_id = $1 WHERE id = $2")
                    .bind(external_id)
                    .bind(id.to_string())
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn appointment(&self, business_id: &str, id: Uuid) -> Result<Option<Appointment>> {
                sqlx::query_as::<_, AppointmentRow>("SELECT * FROM appointments WHERE business_id = $1 AND id = $2")
                    .bind(business_id)
                    .bind(id.to_string())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(AppointmentRow::into_appointment)
                    .transpose()
            }

            async fn appointments_created(&self, business_id: &str, range: Range) -> Result<Vec<Appointment>> {
                let rows = sqlx::query_as::<_, AppointmentRow>(
                    "SELECT * FROM appointments WHERE business_id = $1 AND created_at_us >= $2 AND created_at_us < $3
                     ORDER BY created_at_us",
                )
                .bind(business_id)
                .bind(us(range.from))
                .bind(us(range.to))
                .fetch_all(&self.pool)
                .await?;
                collect(rows, AppointmentRow::into_appointment)
            }

            async fn appointment_by_key(&self, business_id: &str, key: &str) -> Result<Option<Appointment>> {
                sqlx::query_as::<_, AppointmentRow>(
                    "SELECT * FROM appointments WHERE business_id = $1 AND idempotency_key = $2",
                )
                .bind(business_id)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?
                .map(AppointmentRow::into_appointment)
                .transpose()
            }

            async fn appointments(&self, business_id: &str, range: Range) -> Result<Vec<Appointment>> {
                let rows = sqlx::query_as::<_, AppointmentRow>(
                    "SELECT * FROM appointments WHERE business_id = $1 AND start_us < $2 AND end_us > $3
                     AND start_us > $4 AND status IN ('booked', 'confirmed', 'pending') ORDER BY start_us",
                )
                .bind(business_id)
                .bind(us(range.to))
                .bind(us(range.from))
                .bind(us(range.from) - $crate::store::common::LONGEST_APPOINTMENT_US)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, AppointmentRow::into_appointment)
            }

            async fn busy_times(&self, business_id: &str, range: Range) -> Result<Vec<(Timestamp, Timestamp)>> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT start_us, end_us FROM appointments WHERE business_id = $1 AND start_us < $2 AND end_us > $3
                     AND start_us > $4 AND status IN ('booked', 'confirmed', 'pending') ORDER BY start_us",
                )
                .bind(business_id)
                .bind(us(range.to))
                .bind(us(range.from))
                .bind(us(range.from) - $crate::store::common::LONGEST_APPOINTMENT_US)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(|(s, e)| Ok((ts(s)?, ts(e)?))).collect()
            }

            async fn appointments_any(&self, business_id: &str, range: Range) -> Result<Vec<Appointment>> {
                let rows = sqlx::query_as::<_, AppointmentRow>(
                    "SELECT * FROM appointments WHERE business_id = $1 AND start_us >= $2 AND start_us < $3 ORDER BY start_us",
                )
                .bind(business_id)
                .bind(us(range.from))
                .bind(us(range.to))
                .fetch_all(&self.pool)
                .await?;
                collect(rows, AppointmentRow::into_appointment)
            }

            async fn appointments_of_contact(&self, business_id: &str, contact_id: Uuid) -> Result<Vec<Appointment>> {
                let rows = sqlx::query_as::<_, AppointmentRow>(
                    "SELECT * FROM appointments WHERE business_id = $1 AND contact_id = $2 ORDER BY start_us",
                )
                .bind(business_id)
                .bind(contact_id.to_string())
                .fetch_all(&self.pool)
                .await?;
                collect(rows, AppointmentRow::into_appointment)
            }

            async fn create_task(&self, new: &NewTask) -> Result<Task> {
                let id = Uuid::now_v7();
                let row = sqlx::query_as::<_, TaskRow>(
                    "INSERT INTO tasks (id, business_id, contact_id, conversation_id, kind, urgency, title, context, created_at_us)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *",
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
                .fetch_one(&self.writer)
                .await?;
                row.into_task()
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

            async fn enqueue(&self, new: &NewJob) -> Result<(Job, bool)> {
                let id = Uuid::now_v7();
                let inserted = sqlx::query_as::<_, JobRow>(
                    "INSERT INTO jobs (id, business_id, kind, payload, run_at_us, max_attempts, status,
                                       idempotency_key, created_at_us, updated_at_us, priority)
                     VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $8, $9)
                     ON CONFLICT (idempotency_key) DO NOTHING RETURNING *",
                )
                .bind(id.to_string())
                .bind(&new.business_id)
                .bind(&new.kind)
                .bind(to_text(&new.payload))
                .bind(us(new.run_at))
                .bind(new.max_attempts.max(1))
                .bind(&new.idempotency_key)
                .bind(us(Timestamp::now()))
                .bind(new.priority)
                .fetch_optional(&self.writer)
                .await?;
                if let Some(row) = inserted {
                    return Ok((row.into_job()?, true));
                }
                let key = new.idempotency_key.clone().unwrap_or_default();
                let row = sqlx::query_as::<_, JobRow>("SELECT * FROM jobs WHERE idempotency_key = $1")
                    .bind(&key)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound { what: "job", id: key })?;
                Ok((row.into_job()?, false))
            }

            async fn complete_job(&self, id: Uuid, worker: &str, at: Timestamp) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE jobs SET status = 'done', lease_until_us = NULL, updated_at_us = $1
                     WHERE id = $2 AND status = 'running' AND leased_by = $3",
                )
                .bind(us(at))
                .bind(id.to_string())
                .bind(worker)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn fail_job(
                &self,
                id: Uuid,
                worker: &str,
                error: &str,
                retry_at: Option<Timestamp>,
                at: Timestamp,
            ) -> Result<bool> {
                let status = if retry_at.is_some() { "queued" } else { "dead" };
                let done = sqlx::query(
                    "UPDATE jobs SET status = $1, run_at_us = COALESCE($2, run_at_us), last_error = $3,
                     lease_until_us = NULL, leased_by = NULL, updated_at_us = $4
                     WHERE id = $5 AND status = 'running' AND leased_by = $6",
                )
                .bind(status)
                .bind(retry_at.map(us))
                .bind(error)
                .bind(us(at))
                .bind(id.to_string())
                .bind(worker)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn release_leases(&self, worker: &str, at: Timestamp) -> Result<u64> {
                // The attempt that was cut short does not count against the job.
                let done = sqlx::query(
                    "UPDATE jobs SET status = 'queued', lease_until_us = NULL, leased_by = NULL,
                     attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at_us = $1
                     WHERE status = 'running' AND leased_by = $2",
                )
                .bind(us(at))
                .bind(worker)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected())
            }

            async fn job(&self, id: Uuid) -> Result<Option<Job>> {
                sqlx::query_as::<_, JobRow>("SELECT * FROM jobs WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(JobRow::into_job)
                    .transpose()
            }

            async fn job_by_key(&self, key: &str) -> Result<Option<Job>> {
                sqlx::query_as::<_, JobRow>("SELECT * FROM jobs WHERE idempotency_key = $1")
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(JobRow::into_job)
                    .transpose()
            }

            async fn jobs(&self, status: JobStatus, limit: i64) -> Result<Vec<Job>> {
                let rows = sqlx::query_as::<_, JobRow>(
                    "SELECT * FROM jobs WHERE status = $1 ORDER BY updated_at_us DESC LIMIT $2",
                )
                .bind(name_of(&status))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, JobRow::into_job)
            }

            async fn job_counts(&self) -> Result<JobCounts> {
                let rows: Vec<(String, i64)> =
                    sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status")
                        .fetch_all(&self.pool)
                        .await?;
                let mut counts = JobCounts::default();
                for (status, n) in rows {
                    match status.as_str() {
                        "queued" => counts.queued = n,
                        "running" => counts.running = n,
                        "done" => counts.done = n,
                        "dead" => counts.dead = n,
                        _ => {}
                    }
                }
                Ok(counts)
            }

            async fn cancel_jobs(&self, key_prefix: &str, at: Timestamp) -> Result<u64> {
                let pattern = format!("{}%", key_prefix.replace('%', "").replace('_', "\\_"));
                let done = sqlx::query(
                    "UPDATE jobs SET status = 'dead', last_error = 'cancelled', updated_at_us = $1
                     WHERE status = 'queued' AND idempotency_key LIKE $2 ESCAPE '\\'",
                )
                .bind(us(at))
                .bind(pattern)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected())
            }

            async fn audit(
                &self,
                business_id: Option<&str>,
                actor: &str,
                action: &str,
                detail: &Value,
                at: Timestamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO audit_log (id, business_id, actor, action, detail, at_us) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(business_id)
                .bind(actor)
                .bind(action)
                .bind(to_text(detail))
                .bind(us(at))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn audit_log(&self, business_id: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>> {
                let rows = sqlx::query_as::<_, AuditRow>(
                    "SELECT * FROM audit_log WHERE ($1 IS NULL OR business_id = $1) ORDER BY at_us DESC, id DESC LIMIT $2",
                )
                .bind(business_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, AuditRow::into_entry)
            }

            async fn audit_count(&self, actor: &str, action: &str, since: Timestamp) -> Result<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM audit_log WHERE actor = $1 AND action = $2 AND at_us >= $3",
                )
                .bind(actor)
                .bind(action)
                .bind(us(since))
                .fetch_one(&self.pool)
                .await?)
            }

            async fn create_user(
                &self,
                email: &str,
                password_hash: &str,
                role: Role,
                business_id: Option<&str>,
                at: Timestamp,
            ) -> Result<User> {
                let row = sqlx::query_as::<_, UserRow>(
                    "INSERT INTO users (id, email, password_hash, role, business_id, created_at_us)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(email.to_lowercase())
                .bind(password_hash)
                .bind(name_of(&role))
                .bind(business_id)
                .bind(us(at))
                .fetch_one(&self.writer)
                .await?;
                row.into_user()
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
                sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE email = $1")
                    .bind(email.to_lowercase())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(UserRow::into_user)
                    .transpose()
            }

            async fn set_password(&self, email: &str, password_hash: &str) -> Result<bool> {
                let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
                    .bind(password_hash)
                    .bind(email.to_lowercase())
                    .execute(&self.writer)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn delete_user(&self, email: &str) -> Result<bool> {
                let done = sqlx::query("DELETE FROM users WHERE email = $1")
                    .bind(email.to_lowercase())
                    .execute(&self.writer)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn user(&self, id: Uuid) -> Result<Option<User>> {
                sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(UserRow::into_user)
                    .transpose()
            }

            async fn create_session(
                &self,
                id_hash: &str,
                user_id: Uuid,
                csrf: &str,
                at: Timestamp,
                expires: Timestamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO sessions (id_hash, user_id, csrf, created_at_us, expires_at_us) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id_hash)
                .bind(user_id.to_string())
                .bind(csrf)
                .bind(us(at))
                .bind(us(expires))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<SessionRecord>> {
                let found: Option<(String, String, i64)> = sqlx::query_as(
                    "SELECT user_id, csrf, expires_at_us FROM sessions
                     WHERE id_hash = $1 AND revoked_at_us IS NULL AND expires_at_us > $2",
                )
                .bind(id_hash)
                .bind(us(now))
                .fetch_optional(&self.pool)
                .await?;
                let Some((user_id, csrf, expires)) = found else { return Ok(None) };
                let user_id = Uuid::parse_str(&user_id).map_err(|e| StoreError::Corrupt {
                    what: "session",
                    detail: format!("{user_id:?}: {e}"),
                })?;
                Ok(match self.user(user_id).await? {
                    Some(user) => Some(SessionRecord { user, csrf, expires_at: ts(expires)? }),
                    None => None,
                })
            }

            async fn revoke_session(&self, id_hash: &str, at: Timestamp) -> Result<()> {
                sqlx::query("UPDATE sessions SET revoked_at_us = $1 WHERE id_hash = $2 AND revoked_at_us IS NULL")
                    .bind(us(at))
                    .bind(id_hash)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn revoke_user_sessions(&self, user_id: Uuid, at: Timestamp) -> Result<u64> {
                let done = sqlx::query("UPDATE sessions SET revoked_at_us = $1 WHERE user_id = $2 AND revoked_at_us IS NULL")
                    .bind(us(at))
                    .bind(user_id.to_string())
                    .execute(&self.writer)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn add_profile_version(
                &self,
                business_id: &str,
                profile_toml: &str,
                actor: &str,
                note: &str,
                at: Timestamp,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO profile_versions (id, business_id, profile_toml, actor, note, at_us) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(business_id)
                .bind(profile_toml)
                .bind(actor)
                .bind(note)
                .bind(us(at))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn profile_versions(&self, business_id: &str, limit: i64) -> Result<Vec<ProfileVersion>> {
                let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
                    "SELECT id, business_id, profile_toml, actor, note, at_us FROM profile_versions
                     WHERE business_id = $1 ORDER BY at_us DESC, id DESC LIMIT $2",
                )
                .bind(business_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, business_id, profile_toml, actor, note, at)| {
                        Ok(ProfileVersion {
                            id: Uuid::parse_str(&id).map_err(|e| StoreError::Corrupt {
                                what: "profile version",
                                detail: format!("{id:?}: {e}"),
                            })?,
                            business_id,
                            profile_toml,
                            actor,
                            note,
                            at: ts(at)?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use impl_store;
