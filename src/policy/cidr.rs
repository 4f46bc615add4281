//! IPv4/IPv6 networks for `IpAddress` / `NotIpAddress` (a bare address is a /32 or /128).

use std::net::IpAddr;

/// A network in either family; addresses are widened to 128 bits with the family kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    is_v4: bool,
    bits: u128,
    prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> Option<Network> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let (is_v4, bits, width) = match address.trim().parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) => (true, u128::from(u32::from(v4)), 32u8),
            IpAddr::V6(v6) => (false, u128::from(v6), 128u8),
        };
        let prefix = prefix.unwrap_or(width);
        if prefix > width {
            return None;
        }
        Some(Network {
            is_v4,
            bits: bits & mask(prefix, width),
            prefix,
        })
    }

    fn width(&self) -> u8 {
        if self.is_v4 { 32 } else { 128 }
    }

    /// True when every address of `inner` lies in `self`.
    pub fn contains(&self, inner: &Network) -> bool {
        self.is_v4 == inner.is_v4
            && self.prefix <= inner.prefix
            && inner.bits & mask(self.prefix, self.width()) == self.bits
    }

    /// True when the two networks share an address (then one contains the other).
    pub fn overlaps(&self, other: &Network) -> bool {
        self.contains(other) || other.contains(self)
    }
}

fn mask(prefix: u8, width: u8) -> u128 {
    if prefix == 0 {
        return 0;
    }
    let host_bits = u32::from(width - prefix);
    let all = if width == 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    };
    all & !((1u128 << host_bits) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> Network {
        Network::parse(text).unwrap_or_else(|| panic!("bad test network {text}"))
    }

    #[test]
    fn containment() {
        assert!(net("203.0.113.0/24").contains(&net("203.0.113.0/25")));
        assert!(!net("203.0.113.0/25").contains(&net("203.0.113.0/24")));
        assert!(net("0.0.0.0/0").contains(&net("203.0.113.7")));
        assert!(!net("203.0.113.0/24").contains(&net("0.0.0.0/0")));
        assert!(net("2001:db8::/32").contains(&net("2001:db8:1::/48")));
        assert!(!net("0.0.0.0/0").contains(&net("2001:db8::/32")));
        assert!(net("10.0.0.0/8").overlaps(&net("10.1.0.0/16")));
        assert!(Network::parse("10.0.0.0/33").is_none());
        assert!(Network::parse("nope").is_none());
    }
}
