fn main() {
    std::process::exit(trustgate::cli::run());
}
