// glibc's allocator took a fifth of the load generator's CPU (malloc, free, consolidation)
// at 64 VUs; jemalloc's thread caches make the per-request allocations cheap.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// jemalloc sweeps each thread cache every 64 KiB allocated by default; a load run
// allocates that in a handful of requests, and the sweeps cost ~6k instructions per
// request at 64 VUs (callgrind, docs/performance.md). Every 4 MiB keeps the caches' size
// bounded by their slot counts as before. `_RJEM_MALLOC_CONF` in the environment still
// overrides it.
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static malloc_conf: &[u8] = b"tcache_gc_incr_bytes:4194304\0";

fn main() -> std::process::ExitCode {
    convoy::cli::main()
}
