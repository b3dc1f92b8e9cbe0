//! The end user's IP as Onramper takes it: `endUserIpHash`, the lowercase hex SHA-256 of the
//! IP's text, hashed on your backend (docs.onramper.com, Checkout V2 and Widget: Sign a URL
//! (V2)). Onramper checks the IP of the browser that opens the session against it.

use crate::ErrorKind;
use std::net::IpAddr;

use crate::Error;

/// The parameter (and checkout body field) that carries the hash.
pub const END_USER_IP_HASH: &str = "endUserIpHash";

/// `hex(SHA-256(ip.to_string()))`: `203.0.113.9` as written, IPv6 in its canonical short
/// form (`2001:db8::1`); an IPv4-mapped IPv6 address (`::ffff:203.0.113.9`, what a server
/// listening on `[::]` sees) is hashed as the IPv4 address it maps, which is what Onramper
/// sees of the browser. The unspecified addresses name no user and are refused.
///
/// ```
/// use std::net::IpAddr;
///
/// use ramp_onramper_sign::end_user_ip_hash;
///
/// // sha256("203.0.113.9") and sha256("2001:db8::1"), as `printf %s IP | sha256sum` prints them.
/// assert_eq!(
///     end_user_ip_hash(IpAddr::from([203, 0, 113, 9]))?,
///     "d861b7e91033ebc1c1e8e7af3929010158b3241b54ca87ef73e79c32f26400ec"
/// );
/// let v6: IpAddr = "2001:0db8:0000::0001".parse().unwrap();
/// assert_eq!(
///     end_user_ip_hash(v6)?,
///     "5afd19e856d1c18d17d600dfd2b5f534992333985e126c2a951047102c1ed536"
/// );
/// let mapped: IpAddr = "::ffff:203.0.113.9".parse().unwrap();
/// assert_eq!(end_user_ip_hash(mapped)?, end_user_ip_hash(IpAddr::from([203, 0, 113, 9]))?);
/// assert!(end_user_ip_hash(IpAddr::from([0, 0, 0, 0])).is_err());
/// # Ok::<(), ramp_onramper_sign::Error>(())
/// ```
pub fn end_user_ip_hash(ip: IpAddr) -> Result<String, Error> {
    let ip = ramp_core::validate::end_user_ip(END_USER_IP_HASH, ip)
        .map_err(|_| ErrorKind::UnspecifiedIp)?;
    Ok(ramp_core::sha256_hex(ip.to_string().as_bytes()))
}
