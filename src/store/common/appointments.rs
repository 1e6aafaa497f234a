//! Appointments: the atomic booking and rescheduling, checked against the other appointments that
//! hold a slot inside the dialect's write transaction (`begin_write`: `BEGIN IMMEDIATE` on SQLite,
//! the business row locked on PostgreSQL); moves the owner made in their own calendar; status
//! changes; and the listings the calendar, the turn, reports and the dashboard read.

/// No appointment lasts longer than this: overlap queries look back only this far from the
/// window they check, so they use the start index instead of walking the business's history.
pub(crate) const LONGEST_APPOINTMENT_US: i64 = 31 * 24 * 3600 * 1_000_000;

/// Expands to `impl $ty { capacity_ok }`, the check `book` and `reschedule` make inside their
/// write transaction (on database `$db`).
macro_rules! appointment_helpers {
    ($ty:ty, $db:ty) => {
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
                let others: Vec<(i64, i64)> = sqlx::query_as(concat!(
                    "SELECT start_us, end_us FROM appointments WHERE business_id = $1 AND start_us < $2 AND end_us > $3
                     AND start_us > $5 AND status IN ",
                    $crate::store::types::holding_statuses!(),
                    " AND id != $4",
                ))
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
    };
}

pub(crate) use appointment_helpers;

/// Hands the appointments methods to [`store_methods!`](super::store_methods).
macro_rules! appointment_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
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

            async fn appointments(&self, business_id: &str, range: Range) -> Result<Vec<Appointment>> {
                let rows = sqlx::query_as::<_, AppointmentRow>(concat!(
                    "SELECT * FROM appointments WHERE business_id = $1 AND start_us < $2 AND end_us > $3
                     AND start_us > $4 AND status IN ",
                    $crate::store::types::holding_statuses!(),
                    " ORDER BY start_us",
                ))
                .bind(business_id)
                .bind(us(range.to))
                .bind(us(range.from))
                .bind(us(range.from) - $crate::store::common::LONGEST_APPOINTMENT_US)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, AppointmentRow::into_appointment)
            }

            async fn busy_times(&self, business_id: &str, range: Range) -> Result<Vec<(Timestamp, Timestamp)>> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(concat!(
                    "SELECT start_us, end_us FROM appointments WHERE business_id = $1 AND start_us < $2 AND end_us > $3
                     AND start_us > $4 AND status IN ",
                    $crate::store::types::holding_statuses!(),
                    " ORDER BY start_us",
                ))
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
        }
    };
}

pub(crate) use appointment_methods;
