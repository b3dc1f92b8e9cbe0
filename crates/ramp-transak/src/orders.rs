//! Get Orders (`GET /partners/api/v2/orders`, paged with `limit` and `skip`) as a stream that
//! fetches the next page by itself.

use std::collections::VecDeque;

use futures_util::Stream;
use ramp_core::SecretString;
use ramp_core::http::Request;
use serde::Deserialize;
use time::Date;

use crate::client::decode;
use crate::{BuyOrSell, Client, Error, ErrorKind, Order, OrderStatus};

/// The most orders one page holds: Transak documents 100 as the default page size and no
/// larger one.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Which way Get Orders sorts by creation time (`filter[sortOrder]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SortOrder {
    /// `asc`: oldest first.
    Ascending,
    /// `desc`: newest first (Transak's default).
    Descending,
}

impl SortOrder {
    fn as_str(self) -> &'static str {
        match self {
            Self::Ascending => "asc",
            Self::Descending => "desc",
        }
    }
}

/// The filters of Get Orders, as docs.transak.com/api/public/get-orders lists them. Every
/// filter is optional; where one is left out Transak applies its own default (the last 90
/// days, `COMPLETED` orders, `BUY` orders, newest first).
///
/// Checked by [`build`](OrdersQueryBuilder::build) before anything is sent: a page size from
/// 1 to [`MAX_PAGE_SIZE`], a start date not after the end date, no blank wallet address or
/// partner order id.
///
/// ```
/// use ramp_transak::{Date, Month, OrderStatus, OrdersQuery};
///
/// let november = Date::from_calendar_date(2026, Month::November, 1).unwrap();
/// let query = OrdersQuery::builder()
///     .status(OrderStatus::Processing)
///     .start_date(november)
///     .page_size(50)
///     .build()?;
/// assert_eq!(
///     query.query_pairs(0),
///     [
///         ("limit", "50".to_owned()),
///         ("skip", "0".to_owned()),
///         ("startDate", "2026-11-01".to_owned()),
///         ("filter[status]", "PROCESSING".to_owned()),
///     ]
/// );
/// # Ok::<(), ramp_transak::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdersQuery {
    page_size: u32,
    start_date: Option<Date>,
    end_date: Option<Date>,
    status: Option<OrderStatus>,
    products: Vec<BuyOrSell>,
    sort_order: Option<SortOrder>,
    wallet_address: Option<String>,
    partner_order_id: Option<String>,
}

impl Default for OrdersQuery {
    /// No filters, pages of [`MAX_PAGE_SIZE`].
    fn default() -> Self {
        Self {
            page_size: MAX_PAGE_SIZE,
            start_date: None,
            end_date: None,
            status: None,
            products: Vec::new(),
            sort_order: None,
            wallet_address: None,
            partner_order_id: None,
        }
    }
}

impl OrdersQuery {
    /// A builder.
    pub fn builder() -> OrdersQueryBuilder {
        OrdersQueryBuilder(Self::default())
    }

    /// The page size (`limit`).
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// The query of the page that starts after `skip` orders, in the order it is sent.
    pub fn query_pairs(&self, skip: u64) -> Vec<(&'static str, String)> {
        // `YYYY-MM-DD`, as the page asks.
        let date = |d: &Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
        let mut pairs = vec![
            ("limit", self.page_size.to_string()),
            ("skip", skip.to_string()),
        ];
        if let Some(start) = &self.start_date {
            pairs.push(("startDate", date(start)));
        }
        if let Some(end) = &self.end_date {
            pairs.push(("endDate", date(end)));
        }
        if let Some(status) = &self.status {
            pairs.push(("filter[status]", status.as_str().to_owned()));
        }
        if !self.products.is_empty() {
            // A JSON-encoded array string, as the page says: `["BUY"]`.
            let names: Vec<&str> = self.products.iter().map(|p| p.as_str()).collect();
            pairs.push((
                "filter[productsAvailed]",
                serde_json::Value::from(names).to_string(),
            ));
        }
        if let Some(order) = self.sort_order {
            pairs.push(("filter[sortOrder]", order.as_str().to_owned()));
        }
        if let Some(wallet) = &self.wallet_address {
            pairs.push(("filter[walletAddress]", wallet.clone()));
        }
        if let Some(id) = &self.partner_order_id {
            pairs.push(("filter[partnerOrderId]", id.clone()));
        }
        pairs
    }
}

/// Builds an [`OrdersQuery`].
#[derive(Debug, Clone)]
pub struct OrdersQueryBuilder(OrdersQuery);

impl OrdersQueryBuilder {
    /// Orders per page (`limit`), 1 to [`MAX_PAGE_SIZE`] (the default).
    pub fn page_size(mut self, size: u32) -> Self {
        self.0.page_size = size;
        self
    }

    /// Orders created on or after this day (`startDate`; Transak's default: 90 days ago).
    pub fn start_date(mut self, date: Date) -> Self {
        self.0.start_date = Some(date);
        self
    }

    /// Orders created on or before this day (`endDate`; Transak's default: today).
    pub fn end_date(mut self, date: Date) -> Self {
        self.0.end_date = Some(date);
        self
    }

    /// Orders in this status (`filter[status]`; Transak's default: `COMPLETED`).
    pub fn status(mut self, status: OrderStatus) -> Self {
        self.0.status = Some(status);
        self
    }

    /// Orders of these products (`filter[productsAvailed]`; Transak's default: `BUY`).
    pub fn products(mut self, products: impl IntoIterator<Item = BuyOrSell>) -> Self {
        self.0.products = products.into_iter().collect();
        self
    }

    /// The sort order by creation time (`filter[sortOrder]`; Transak's default: newest first).
    pub fn sort_order(mut self, order: SortOrder) -> Self {
        self.0.sort_order = Some(order);
        self
    }

    /// Orders to this wallet address (`filter[walletAddress]`; Transak then returns `BUY`
    /// orders only).
    pub fn wallet_address(mut self, address: impl Into<String>) -> Self {
        self.0.wallet_address = Some(address.into());
        self
    }

    /// The order with this partner order id (`filter[partnerOrderId]`, exact match).
    pub fn partner_order_id(mut self, id: impl Into<String>) -> Self {
        self.0.partner_order_id = Some(id.into());
        self
    }

    /// Checks the filters; [`ErrorKind::Validation`](crate::ErrorKind::Validation) names the first one that is wrong.
    pub fn build(self) -> Result<OrdersQuery, Error> {
        let query = self.0;
        let invalid = |field: &'static str, reason: String| {
            Err(Error::from(ErrorKind::Validation { field, reason }))
        };
        if !(1..=MAX_PAGE_SIZE).contains(&query.page_size) {
            return invalid(
                "limit",
                format!("must be from 1 to {MAX_PAGE_SIZE}, got {}", query.page_size),
            );
        }
        for product in &query.products {
            product.checked("filter[productsAvailed]")?;
        }
        if let (Some(start), Some(end)) = (query.start_date, query.end_date)
            && start > end
        {
            return invalid("startDate", format!("{start} is after the end date {end}"));
        }
        if let Some(OrderStatus::Other(status)) = &query.status
            && status.trim().is_empty()
        {
            return invalid("filter[status]", "must not be blank".into());
        }
        for (field, value) in [
            ("filter[walletAddress]", &query.wallet_address),
            ("filter[partnerOrderId]", &query.partner_order_id),
        ] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                return invalid(field, "must not be blank".into());
            }
        }
        Ok(query)
    }
}

/// One page of Get Orders.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrdersPage {
    /// The orders of this page.
    pub orders: Vec<Order>,
    /// How many orders match the filters in all (`meta.totalCount`), when Transak says.
    pub total_count: Option<u64>,
    /// How many orders came before this page (`skip`).
    pub skip: u64,
}

#[derive(Deserialize)]
struct PageBody {
    #[serde(default)]
    meta: Option<PageMeta>,
    data: Vec<Order>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageMeta {
    #[serde(default)]
    total_count: Option<u64>,
}

impl Client {
    /// One page of Get Orders: `GET /partners/api/v2/orders` on the API host with the access
    /// token, the orders after the first `skip`. Safe to retry. Most callers want
    /// [`orders`](Self::orders), which pages by itself.
    pub async fn orders_page(&self, query: &OrdersQuery, skip: u64) -> Result<OrdersPage, Error> {
        let pairs = query.query_pairs(skip);
        let call = |token: &SecretString| {
            let mut call = Request::get("partners/api/v2/orders")
                .sensitive_header("access-token", token)
                .header("accept", "application/json");
            for (key, value) in &pairs {
                call = call.query(key, value);
            }
            call
        };
        let response = self.send_with_token(self.api(), call).await?;
        let body: PageBody = decode(response)?;
        Ok(OrdersPage {
            orders: body.data,
            total_count: body.meta.and_then(|meta| meta.total_count),
            skip,
        })
    }

    /// Every order that matches `query`, page after page: a stream that fetches the next page
    /// when the orders of the last one have been taken, and ends after the last page (once
    /// `meta.totalCount` orders were read; without a total, after a page shorter than the page
    /// size; always after an empty page). An error ends the stream after it is yielded. Each
    /// page is one call, with the same 401 handling as every call.
    ///
    /// Pages are read by offset, so a listing is exact only while the set it filters does not
    /// change: an order created meanwhile shifts a newest-first listing (an order then comes
    /// twice), and an order that leaves the filter meanwhile (a `PROCESSING` order that
    /// completes) shifts the pages after it (an order is then skipped). For a complete
    /// listing, filter on a final status with an `end_date` in the past, or deduplicate by id
    /// and list again until nothing new comes.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use ramp_transak::{OrderStatus, OrdersQuery};
    ///
    /// # async fn run(client: ramp_transak::Client) -> Result<(), ramp_transak::Error> {
    /// let query = OrdersQuery::builder().status(OrderStatus::Completed).build()?;
    /// let mut orders = std::pin::pin!(client.orders(&query));
    /// while let Some(order) = orders.try_next().await? {
    ///     println!("{} {}", order.id, order.status);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn orders(
        &self,
        query: &OrdersQuery,
    ) -> impl Stream<Item = Result<Order, Error>> + Send + 'static {
        let start = Pages {
            client: self.clone(),
            query: query.clone(),
            skip: 0,
            buffered: VecDeque::new(),
            previous_first: None,
            done: false,
        };
        futures_util::stream::unfold(start, |mut pages| async move {
            loop {
                if let Some(order) = pages.buffered.pop_front() {
                    return Some((Ok(order), pages));
                }
                if pages.done {
                    return None;
                }
                match pages.client.orders_page(&pages.query, pages.skip).await {
                    Ok(page) => pages.take(page),
                    Err(err) => {
                        pages.done = true;
                        return Some((Err(err), pages));
                    }
                }
            }
        })
    }
}

/// Where the stream of [`Client::orders`] stands.
struct Pages {
    client: Client,
    query: OrdersQuery,
    skip: u64,
    buffered: VecDeque<Order>,
    /// The id of the last page's first order.
    previous_first: Option<String>,
    done: bool,
}

impl Pages {
    /// Takes a page and decides whether another follows: while `meta.totalCount` is known,
    /// until that many orders were read (a short page does not end it); without it, until a
    /// short or empty page. An empty page always ends it, and so does a page whose first
    /// order is the previous page's first (a server that ignores `skip` would otherwise
    /// repeat one page forever).
    fn take(&mut self, page: OrdersPage) {
        let count = page.orders.len() as u64;
        let first = page.orders.first().map(|order| order.id.clone());
        let repeated = first.is_some() && first == self.previous_first;
        self.previous_first = first;
        if repeated {
            self.done = true;
            return;
        }
        self.skip = self.skip.saturating_add(count);
        self.done = count == 0
            || match page.total_count {
                Some(total) => self.skip >= total,
                None => count < u64::from(self.query.page_size),
            };
        self.buffered.extend(page.orders);
    }
}
