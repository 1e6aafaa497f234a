//! Conversations and their turns. A conversation is found again by its channel's external id (a
//! CallSid, say) and saves the engine's state with a version check. Turns are numbered per
//! conversation and deduplicated by key, so a redelivered webhook appends nothing. The caller's
//! message is recorded first and found by `pending_inbound` until answered; `commit_turn` then
//! writes the reply, the understanding and the new state in one transaction; it and the turn lock
//! (`lock_conversation`) differ by dialect and live in `sqlite.rs` and `postgres.rs`.

/// Hands the conversations methods to [`store_methods!`](super::store_methods).
macro_rules! conversation_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
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
        }
    };
}

pub(crate) use conversation_methods;
