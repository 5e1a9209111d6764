//! OAuth 1.0a request signing (RFC 5849): base string, HMAC-SHA1 and the `Authorization` header.

use base64::prelude::*;
use oauth2::url::{form_urlencoded, Url};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use secrecy::{ExposeSecret, SecretString};

/// RFC 5849 section 3.6: everything but the unreserved characters `A-Z a-z 0-9 - . _ ~`.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn encode(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// The `Authorization` header value of a request signed with HMAC-SHA1.
///
/// `extra_params` are the form body parameters of an `application/x-www-form-urlencoded`
/// body (decoded); the URL's query is read from `url`. `nonce` and `timestamp` are the
/// caller's so that signing is deterministic (use [`new_nonce`] and the Unix time).
#[allow(clippy::too_many_arguments)]
pub fn authorization_header(
    method: &str,
    url: &str,
    extra_params: &[(String, String)],
    consumer_key: &str,
    consumer_secret: &SecretString,
    token: Option<&str>,
    token_secret: Option<&SecretString>,
    nonce: &str,
    timestamp: u64,
) -> String {
    let mut oauth = vec![
        ("oauth_consumer_key".to_string(), consumer_key.to_string()),
        ("oauth_nonce".to_string(), nonce.to_string()),
        ("oauth_signature_method".to_string(), "HMAC-SHA1".to_string()),
        ("oauth_timestamp".to_string(), timestamp.to_string()),
    ];
    if let Some(token) = token {
        oauth.push(("oauth_token".to_string(), token.to_string()));
    }
    oauth.push(("oauth_version".to_string(), "1.0".to_string()));
    let mut all = oauth.clone();
    all.extend(extra_params.iter().cloned());
    let sig = signature(method, url, &all, consumer_secret, token_secret);
    oauth.push(("oauth_signature".to_string(), sig));
    oauth.sort();
    let fields: Vec<String> = oauth.iter().map(|(k, v)| format!("{}=\"{}\"", encode(k), encode(v))).collect();
    format!("OAuth {}", fields.join(", "))
}

/// The base64 HMAC-SHA1 signature (not yet percent-encoded) of a request whose parameters
/// besides the URL's query are `params`: the `oauth_*` protocol parameters (without
/// `oauth_signature`) and any form body parameters.
pub fn signature(
    method: &str,
    url: &str,
    params: &[(String, String)],
    consumer_secret: &SecretString,
    token_secret: Option<&SecretString>,
) -> String {
    let base = signature_base_string(method, url, params);
    let key = format!(
        "{}&{}",
        encode(consumer_secret.expose_secret()),
        token_secret.map(|s| encode(s.expose_secret())).unwrap_or_default()
    );
    BASE64_STANDARD.encode(hmac_sha1(key.as_bytes(), base.as_bytes()))
}

/// RFC 5849 section 3.4.1: `METHOD&base-url&normalized-params`, each part percent-encoded.
pub fn signature_base_string(method: &str, url: &str, params: &[(String, String)]) -> String {
    let (base_url, mut pairs) = match Url::parse(url) {
        Ok(parsed) => {
            let query: Vec<(String, String)> = match parsed.query() {
                Some(q) => form_urlencoded::parse(q.as_bytes()).into_owned().collect(),
                None => Vec::new(),
            };
            (base_url(&parsed), query)
        }
        // Not a URL we can parse: sign it as given, so the server rejects it, not us.
        Err(_) => (url.to_string(), Vec::new()),
    };
    pairs.extend(params.iter().filter(|(k, _)| k != "oauth_signature" && k != "realm").cloned());
    let mut encoded: Vec<(String, String)> = pairs.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    encoded.sort();
    let normalized: Vec<String> = encoded.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{}&{}&{}", encode(&method.to_ascii_uppercase()), encode(&base_url), encode(&normalized.join("&")))
}

/// Scheme and host in lower case, the port only when it is not the scheme's default, the
/// path; no query or fragment (RFC 5849 section 3.4.1.2).
fn base_url(url: &Url) -> String {
    let mut out = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path());
    out
}

/// A random nonce: 32 hexadecimal digits from the OS random source.
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    // Without an OS random source, fall back to the clock: a nonce need only be unique.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC (RFC 2104) over SHA-1.
pub fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..20].copy_from_slice(&sha1(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(data);
    let mut outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha1(&inner));
    sha1(&outer)
}

/// SHA-1 (FIPS 180-4). Only for HMAC-SHA1 signatures, which OAuth 1.0a requires.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (hi, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *hi = hi.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (i, v) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_string())
    }

    #[test]
    fn sha1_test_vectors() {
        assert_eq!(hex(&sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(hex(&sha1(&vec![b'a'; 1_000_000])), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    }

    #[test]
    fn hmac_sha1_rfc2202_vectors() {
        let cases: Vec<(Vec<u8>, Vec<u8>, &str)> = vec![
            (vec![0x0b; 20], b"Hi There".to_vec(), "b617318655057264e28bc0b6fb378c8ef146be00"),
            (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec(), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
            (vec![0xaa; 20], vec![0xdd; 50], "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
            ((1..=25).collect(), vec![0xcd; 50], "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
            (
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "aa4ae5e15272d00e95705637ce8a3b55ed402112",
            ),
            (
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".to_vec(),
                "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
            ),
        ];
        for (key, data, expected) in cases {
            assert_eq!(hex(&hmac_sha1(&key, &data)), expected);
        }
    }

    /// RFC 5849 section 3.4.1.1's example: query, form body and protocol parameters.
    #[test]
    fn rfc5849_base_string_example() {
        let params = pairs(&[
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("realm", "Example"),
            ("c2", ""),
            ("a3", "2 q"),
        ]);
        let base =
            signature_base_string("post", "http://Example.com:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", &params);
        assert_eq!(
            base,
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    /// RFC 5849 section 3.4.1.2: scheme and host lower-cased, default port dropped.
    #[test]
    fn base_url_normalization() {
        let base = signature_base_string("GET", "HTTP://EXAMPLE.COM:80/r%20v/X?id=123", &[]);
        assert!(base.starts_with("GET&http%3A%2F%2Fexample.com%2Fr%2520v%2FX&"), "{base}");
        let base = signature_base_string("GET", "https://www.example.net:8080/?q=1", &[]);
        assert!(base.starts_with("GET&https%3A%2F%2Fwww.example.net%3A8080%2F&"), "{base}");
    }

    /// RFC 5849 section 1.2: the signed photos request (no `oauth_version`).
    #[test]
    fn rfc5849_photos_example() {
        let params = pairs(&[
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131202"),
            ("oauth_nonce", "chapoH"),
        ]);
        let sig = signature(
            "GET",
            "http://photos.example.net/photos?file=vacation.jpg&size=original",
            &params,
            &secret("kd94hf93k423kf44"),
            Some(&secret("pfkkdhi9sl3r4s00")),
        );
        assert_eq!(sig, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
    }

    /// OAuth Core 1.0 appendix A.5 (the same photos request, with `oauth_version=1.0`).
    #[test]
    fn oauth_core_photos_example_header() {
        let header = authorization_header(
            "GET",
            "http://photos.example.net/photos?file=vacation.jpg&size=original",
            &[],
            "dpf43f3p2l4k3l03",
            &secret("kd94hf93k423kf44"),
            Some("nnch734d00sl2jdk"),
            Some(&secret("pfkkdhi9sl3r4s00")),
            "kllo9940pd9333jh",
            1191242096,
        );
        assert_eq!(
            header,
            "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"kllo9940pd9333jh\", \
             oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\", \
             oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1191242096\", \
             oauth_token=\"nnch734d00sl2jdk\", oauth_version=\"1.0\""
        );
    }

    /// Without a token, the key still ends in `&` and no `oauth_token` is sent.
    #[test]
    fn two_legged_request_has_no_token() {
        let header = authorization_header(
            "POST",
            "https://api.example.com/x",
            &pairs(&[("status", "hello world")]),
            "key",
            &secret("s3cr3t"),
            None,
            None,
            "n",
            1,
        );
        assert!(!header.contains("oauth_token"), "{header}");
        assert!(!header.contains("s3cr3t"), "{header}");
        let expected = BASE64_STANDARD.encode(hmac_sha1(
            b"s3cr3t&",
            signature_base_string(
                "POST",
                "https://api.example.com/x",
                &pairs(&[
                    ("oauth_consumer_key", "key"),
                    ("oauth_nonce", "n"),
                    ("oauth_signature_method", "HMAC-SHA1"),
                    ("oauth_timestamp", "1"),
                    ("oauth_version", "1.0"),
                    ("status", "hello world"),
                ]),
            )
            .as_bytes(),
        ));
        assert!(header.contains(&format!("oauth_signature=\"{}\"", encode(&expected))));
    }

    #[test]
    fn nonces_differ() {
        let (a, b) = (new_nonce(), new_nonce());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
