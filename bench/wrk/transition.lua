-- POST /applications/{id}/transitions: tech_sme applications go submitted -> returned -> submitted -> ...
-- BENCH_APPS is "id:stage,id:stage,..."; each id is revisited only after all the others, so with one
-- wrk thread its previous transition has long finished.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
wrk.headers["Content-Type"] = "application/json"
local apps = {}
for id, stage in string.gmatch(os.getenv("BENCH_APPS"), "(%d+):(%a+)") do
  apps[#apps + 1] = {id = id, stage = stage}
end
local n = 0

function request()
  local app = apps[n % #apps + 1]
  n = n + 1
  app.stage = (app.stage == "submitted") and "returned" or "submitted"
  local body = string.format('{"to":"%s","note":"压测：材料退回补充后重新提交。"}', app.stage)
  return wrk.format("POST", "/api/v1/applications/" .. app.id .. "/transitions", nil, body)
end
