// glibc's allocator took a fifth of the load generator's CPU (malloc, free, consolidation)
// at 64 VUs; jemalloc's thread caches make the per-request allocations cheap.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    convoy::cli::main()
}
