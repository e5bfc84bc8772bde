-- Prints wrk's figures as one line of key=value pairs for scripts/bench.py and scripts/loadtest.py.
done = function(summary, latency, requests)
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write
  local errors = socket + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f p50_us=%d p95_us=%d p99_us=%d errors=%d non2xx=%d"
      .. " timeouts=%d socket_errors=%d mean_us=%d max_us=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors, summary.errors.status, summary.errors.timeout, socket,
    latency.mean, latency.max))
end
