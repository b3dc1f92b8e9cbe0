//! `ramp`: run every provider flow against the local sandbox, or run the sandbox itself.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod demo;
mod listen;
mod quote;
mod tools;

/// Run every on-ramp provider flow locally, end to end.
#[derive(Parser)]
#[command(name = "ramp", version, about)]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the sandbox in-process and run every provider's flow through the SDK crates.
    Demo,
    /// Run the sandbox in the foreground, printing base URLs and test credentials.
    Sandbox {
        /// The loopback port to listen on (a free one when omitted).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Kryptonim: sign a body, create a session.
    #[command(subcommand)]
    Kryptonim(tools::Kryptonim),
    /// Onramper: start a checkout, read quotes, sign or verify widget URLs and requests.
    #[command(subcommand)]
    Onramper(tools::Onramper),
    /// Koinal: make a Hash header, verify a callback.
    #[command(subcommand)]
    Koinal(tools::Koinal),
    /// Transak: fetch an access token, create a widget URL, read orders.
    #[command(subcommand)]
    Transak(tools::Transak),
    /// Proof: create a widget session, read KYC status, follow a transaction live.
    #[command(subcommand)]
    Proof(tools::Proof),
    /// Make a running sandbox deliver a callback or webhook to your endpoint.
    Trigger(tools::TriggerArgs),
    /// Check a wallet address for a network.
    #[command(subcommand)]
    Address(tools::AddressCommand),
    /// Receive webhooks on 127.0.0.1 and print each new, verified event as a JSON line.
    Listen(Box<listen::ListenArgs>),
    /// Ask every configured provider for one quote at once, and compare the offers honestly.
    Quote(Box<quote::QuoteArgs>),
    /// Follow an order to a final status by reading it: one JSON line per status change.
    #[command(subcommand)]
    Track(tools::track::Track),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo => return demo::run().await,
        Command::Sandbox { port } => return sandbox(port).await,
        Command::Listen(args) => return listen::run(*args).await,
        Command::Quote(args) => return quote::run(*args, cli.json).await,
        Command::Kryptonim(tool) => tool.run().await,
        Command::Onramper(tool) => tool.run().await,
        Command::Koinal(tool) => tool.run(),
        Command::Transak(tool) => tool.run(cli.json).await,
        Command::Proof(tool) => tool.run(cli.json).await,
        Command::Trigger(tool) => tool.run().await,
        Command::Address(tool) => tool.run(),
        Command::Track(tool) => tool.run().await,
    };
    match (result, cli.json) {
        (Ok(output), json) => {
            if !output.is_printed() {
                output.print(json);
            }
            ExitCode::SUCCESS
        }
        (Err(message), false) => {
            eprintln!("ramp: {message}");
            ExitCode::FAILURE
        }
        (Err(message), true) => {
            eprintln!("{}", serde_json::json!({ "error": message }));
            ExitCode::FAILURE
        }
    }
}

async fn sandbox(port: u16) -> ExitCode {
    let sandbox =
        match ramp_sandbox::Sandbox::start_on(SocketAddr::from(([127, 0, 0, 1], port))).await {
            Ok(sandbox) => sandbox,
            Err(err) => {
                eprintln!("ramp: could not start the sandbox on port {port}: {err}");
                return ExitCode::FAILURE;
            }
        };
    use ramp_sandbox::credentials as c;
    println!("ramp sandbox listening on http://{}", sandbox.addr());
    println!();
    println!("kryptonim  {}", sandbox.kryptonim_url());
    println!(
        "           X-API-Key {}  signature secret {}",
        c::KRYPTONIM_API_KEY,
        c::KRYPTONIM_SIGNATURE_SECRET
    );
    println!("proof      {}", sandbox.proof_url());
    println!(
        "           client token {}  origin {}",
        c::PROOF_CLIENT_TOKEN,
        c::PROOF_ORIGIN
    );
    println!(
        "transak    api {}  gateway {}",
        sandbox.transak_api_url(),
        sandbox.transak_gateway_url()
    );
    println!(
        "           api key {}  api secret {}",
        c::TRANSAK_API_KEY,
        c::TRANSAK_API_SECRET
    );
    println!("koinal     {}", sandbox.koinal_url());
    println!(
        "           merchant code {}  secret {}  callback secret {}",
        c::KOINAL_MERCHANT_CODE,
        c::KOINAL_SECRET,
        c::KOINAL_CALLBACK_SECRET
    );
    println!(
        "onramper   widget {}  api {}",
        sandbox.onramper_url(),
        sandbox.onramper_api_url()
    );
    println!(
        "           apiKey {}  V1 signing secret {}  webhook secret {}",
        c::ONRAMPER_API_KEY,
        c::ONRAMPER_SIGNING_SECRET,
        c::ONRAMPER_WEBHOOK_SECRET
    );
    println!(
        "           V2 public key (registered) {}",
        c::ONRAMPER_V2_PUBLIC_KEY_HEX
    );
    println!("           V2 private key (PKCS#8 PEM; save it for --key-file):");
    for line in c::ONRAMPER_V2_PRIVATE_KEY_PEM.lines() {
        println!("             {line}");
    }
    println!();
    println!("webhooks   Koinal callbacks are signed with the callback secret above, Onramper's");
    println!(
        "           with its webhook secret, Transak's with the current access token; Proof's"
    );
    println!("           are unsigned. `ramp trigger` makes the sandbox deliver one.");
    println!();
    println!("These are public test credentials for this local sandbox only. Ctrl-C stops it.");
    let _ = tokio::signal::ctrl_c().await;
    drop(sandbox);
    ExitCode::SUCCESS
}
