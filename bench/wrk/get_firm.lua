-- GET /enterprises/{id} for firm ids spread over the whole table (no cache helps).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local first, last = tonumber(os.getenv("BENCH_FIRST_ID")), tonumber(os.getenv("BENCH_LAST_ID"))
local n = 0

function request()
  n = n + 1
  local id = first + (n * 7919) % (last - first + 1)
  return wrk.format("GET", "/api/v1/enterprises/" .. id)
end
