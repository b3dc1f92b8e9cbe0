//! The typed values inside the widget parameters: products, color mode, wallet addresses,
//! user data.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

/// Which products the widget offers (`productsAvailed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Products {
    /// `BUY`.
    Buy,
    /// `SELL`.
    Sell,
    /// `BUY,SELL`.
    BuyAndSell,
}

impl Serialize for Products {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            Self::Buy => "BUY",
            Self::Sell => "SELL",
            Self::BuyAndSell => "BUY,SELL",
        })
    }
}

/// The widget's color mode (`colorMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum ColorMode {
    /// `LIGHT`.
    Light,
    /// `DARK`.
    Dark,
}

/// One wallet address, with its memo or tag where the chain needs one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletAddress {
    /// The address.
    pub address: String,
    /// A memo, tag or other extra data for the address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_additional_data: Option<String>,
}

/// Wallet addresses per network and per coin (`walletAddressesData`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WalletAddressesData {
    /// Addresses by network, such as `ethereum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networks: Option<BTreeMap<String, WalletAddress>>,
    /// Addresses by coin, such as `USDT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coins: Option<BTreeMap<String, WalletAddress>>,
}

/// The user's postal address, inside [`UserData`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAddress {
    /// First line.
    pub address_line1: String,
    /// Second line.
    pub address_line2: String,
    /// City.
    pub city: String,
    /// State or region.
    pub state: String,
    /// Postal code.
    pub post_code: String,
    /// Country, ISO 3166-1 alpha-2.
    pub country_code: String,
}

/// The user's details, to prefill the widget (`userData`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserData {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: String,
    /// Mobile number, with country code.
    pub mobile_number: String,
    /// Date of birth, as Transak expects it (`DD-MM-YYYY`).
    pub dob: String,
    /// Postal address.
    pub address: UserAddress,
}
