//! The token a refresh replaced, kept beside the current one for a grace period: a webhook
//! signed just before a refresh (made by any replica) still verifies in every replica.

use super::*;

/// How long the replaced token stays verifiable.
pub const PREVIOUS_GRACE: Duration = Duration::from_secs(15 * 60);

/// Saves a new token; the one it replaces (if another) moves to the previous key for the
/// grace period.
const SAVE: &str = r"
local old = redis.call('GET', KEYS[1])
if old and old ~= ARGV[1] then redis.call('SET', KEYS[2], old, 'PX', ARGV[3]) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
";

impl RedisTokenStore {
    /// Writes `json` as the token for `millis`, keeping the replaced one as the previous.
    pub(super) async fn save_rotating(&self, json: &str, millis: u64) -> redis::RedisResult<()> {
        let mut connection = self.connection().await?;
        let grace = u64::try_from(PREVIOUS_GRACE.as_millis()).unwrap_or(u64::MAX);
        redis::Script::new(SAVE)
            .key(&self.keys.token)
            .key(&self.keys.previous)
            .arg(json)
            .arg(millis)
            .arg(grace)
            .invoke_async::<i64>(&mut connection)
            .await
            .map(|_| ())
    }

    /// The token the last refresh replaced, while in its grace period.
    pub(super) async fn previous_from_redis(&self) -> redis::RedisResult<Option<AccessToken>> {
        let mut connection = self.connection().await?;
        let stored: Option<String> = connection.get(&self.keys.previous).await?;
        Ok(stored.and_then(|json| decode(&json)))
    }
}
