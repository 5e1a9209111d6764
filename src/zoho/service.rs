//! What a service is (auth type, endpoints, scopes, URL-to-scope rules): shared by the
//! built-in catalog and the custom services of the connections file.

use secrecy::SecretString;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthType {
    ApiKey,
    Basic,
    OAuth1,
    OAuth2,
}

impl AuthType {
    pub fn name(self) -> &'static str {
        match self {
            AuthType::ApiKey => "api_key",
            AuthType::Basic => "basic",
            AuthType::OAuth1 => "oauth1",
            AuthType::OAuth2 => "oauth2",
        }
    }
}

/// Where an API key (or an OAuth 2.0 access token) goes in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    Header,
    Query,
    Form,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantType {
    AuthorizationCode,
    ClientCredentials,
}

/// A value from the connections file: literal, or read from an environment variable.
#[derive(Clone, Debug)]
pub enum ValueSource {
    Literal(SecretString),
    Env(String),
}

impl ValueSource {
    /// `env:NAME` or a literal.
    pub fn parse(raw: &str) -> ValueSource {
        match raw.strip_prefix("env:") {
            Some(name) => ValueSource::Env(name.to_string()),
            None => ValueSource::Literal(SecretString::from(raw.to_string())),
        }
    }
}

/// One URL-to-scope rule: requests whose method matches and whose path matches `path`
/// need `scope`. `path` is a pattern of `/`-separated segments: a literal, `*` (any one
/// segment), `{name}` (any one segment, captured) or a final `**` (any rest). `scope` may use
/// the captures and `{op}` (READ for GET/HEAD, CREATE for POST, UPDATE for PUT/PATCH, DELETE
/// for DELETE), with filters `{module|lower}` and `{module|nounderscore}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Upper-case method, or `None` for any method.
    pub method: Option<String>,
    pub path: String,
    pub scope: String,
}

/// How to authenticate to one API, and which scopes its URLs need.
#[derive(Clone, Debug)]
pub struct Service {
    /// Lower-case id: `zohocrm`, `slack`, or a custom service's name.
    pub id: String,
    /// Display name: `Zoho CRM`, `Slack`.
    pub name: String,
    pub auth: AuthType,
    /// API key: where the key goes; OAuth 2.0: how the access token is sent.
    pub param_type: ParamType,
    /// API key parameter names (`appid`), or the header name for a header key.
    pub params: Vec<String>,
    pub grant_type: GrantType,
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    pub refresh_url: Option<String>,
    pub revoke_url: Option<String>,
    /// OAuth 1.0a endpoints.
    pub request_token_url: Option<String>,
    pub access_token_url: Option<String>,
    /// How scopes are joined in authorization requests: "," (Zoho), " " or "+".
    pub scope_delimiter: String,
    /// Every scope the service knows.
    pub scopes: Vec<String>,
    /// API hosts this service serves, as patterns: `www.zohoapis.*`, `api.github.com`.
    pub hosts: Vec<String>,
    /// Base URL for documentation and `dg services show` (`https://www.zohoapis.com`).
    pub base_url: Option<String>,
    pub endpoints: Vec<Endpoint>,
    /// `Bearer` or, for Zoho, `Zoho-oauthtoken`.
    pub token_prefix: String,
    /// A Zoho product: data-center accounts servers, client credentials in the form body,
    /// `api_domain` in token answers, `{"error": ...}` with HTTP 200.
    pub zoho: bool,
    /// Custom services may carry their OAuth client and OAuth 1.0 consumer.
    pub client_id: Option<ValueSource>,
    pub client_secret: Option<ValueSource>,
    pub consumer_key: Option<ValueSource>,
    pub consumer_secret: Option<ValueSource>,
}
