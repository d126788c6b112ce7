-- POST /visits: a phone visit to a firm spread over the table, as staff log them from a phone.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
wrk.headers["Content-Type"] = "application/json"
local first, last = tonumber(os.getenv("BENCH_FIRST_ID")), tonumber(os.getenv("BENCH_LAST_ID"))
local day = os.getenv("BENCH_DAY")
local n = 0

function request()
  n = n + 1
  local id = first + (n * 7919) % (last - first + 1)
  local body = string.format(
    '{"enterprise_id":%d,"visited_on":"%s","kind":"phone","summary":"电话回访，了解研发费用加计扣除申报进展。",' ..
    '"purpose":"政策宣传"}', id, day)
  return wrk.format("POST", "/api/v1/visits", nil, body)
end
