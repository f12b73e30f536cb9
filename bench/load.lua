-- wrk script for bench/load.py: the mixed traffic of many media centres against one server.
--
-- wrk -t N -c N -s bench/load.lua URL -- USERS SHOWS MOVIES RUN SEED DATE MODE STATE N
--   USERS    one "username<TAB>sha1<TAB>apikey<TAB>basic-token" line per user
--   SHOWS    one "tvdb_id<TAB>seasons<TAB>episodes-per-season" line per show
--   MOVIES   how many movies the world has (movie n has IMDb id tt{1000000 + n})
--   RUN      run number (seeds the random choices)
--   SEED     changes between invocations (minutes since the epoch): which show each user follows
--   DATE     today as YYYYMMDD, for the calendars
--   MODE     "mixed", "bare" (the server's bare route, answering {}: the ceiling of the stack)
--            or "time" (server/time: routing and the API-key lookup, the least a v1 call costs)
--            or "only:<entry of MIX>" (that part of the mix alone)
--   STATE    where each user's place in their playback is kept from one run (and invocation)
--            to the next, so that a user left checked in cancels first and no scrobble repeats
--            a recent one (a duplicate, rightly refused)
--   N        the thread count again (each thread's Lua state knows only its own number)
--
-- Every thread has exactly one connection (-t equal to -c), so its requests and responses
-- strictly alternate: request() notes the kind and the time, response() measures the latency
-- of that request, and done() reports percentiles per kind from every recorded latency.
-- Thread n serves users n, n + N, n + 2N, ... (and no others) in turn, so one user's requests
-- are never in flight at the same time and each user's playback follows a media centre's order.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clock_id, load_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("load_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

-- What a media centre sends, per 100 requests. "playback" steps each user through CYCLE.
local MIX = { { "playback", 42 }, { "lastactivity", 20 }, { "library", 12 }, { "summary", 12 },
              { "calendar", 7 }, { "progress", 4 }, { "search", 3 } }
-- A 45-minute episode (pings at 0, 15 and 30 minutes, then the scrobble), a 100-minute movie
-- (seven pings 15 minutes apart, then the scrobble), and a check-in with its cancellation.
local CYCLE = { { "watch_ep", 0 }, { "watch_ep", 33 }, { "watch_ep", 67 }, { "scrobble_ep", 95 },
                { "watch_movie", 0 }, { "watch_movie", 15 }, { "watch_movie", 30 }, { "watch_movie", 45 },
                { "watch_movie", 60 }, { "watch_movie", 75 }, { "watch_movie", 90 }, { "scrobble_movie", 95 },
                { "checkin", 0 }, { "cancelcheckin", 0 } }
local REPORTED = { watch_ep = "watching", watch_movie = "watching", scrobble_ep = "scrobble",
                   scrobble_movie = "scrobble", checkin = "checkin", cancelcheckin = "checkin" }
local LEAST_EPISODES = 100 -- users follow shows this long, so their episodes never wrap around
local LIBRARY = { "movies/watched", "shows/watched", "movies/collection", "shows/collection" }
local WORDS = { "love", "night", "man", "the%20last", "dead", "house", "black", "time", "king", "war",
                "city", "home", "christmas", "star", "game", "summer", "money", "heart", "dark",
                "blood", "of%20the", "lost", "world", "red", "murder", "island", "family", "dream" }
local MEDIA_CENTER = '"plugin_version":"2.3.2","media_center_version":"13.2","media_center_date":"Jul 1 2014"'
local JSON = { ["Content-Type"] = "application/json" }

local function lines(path)
  local rows = {}
  for line in io.lines(path) do
    local fields = {}
    for field in line:gmatch("[^\t]+") do
      fields[#fields + 1] = field
    end
    rows[#rows + 1] = fields
  end
  return rows
end

function init(args)
  run, seed, today, mode = tonumber(args[4]), tonumber(args[5]), args[6], args[7]
  state_file = args[8]
  if mode:sub(1, 5) == "only:" then -- one entry of MIX alone, to measure what it costs
    MIX = { { mode:sub(6), 100 } }
    mode = "mixed"
  end
  movie_count = tonumber(args[3])
  stride = tonumber(args[9])
  local shows = {}
  for _, row in ipairs(lines(args[2])) do
    local seasons, per_season = tonumber(row[2]), tonumber(row[3])
    if seasons * per_season >= LEAST_EPISODES then
      shows[#shows + 1] = { tvdb = row[1], per_season = per_season, episodes = seasons * per_season }
    end
  end
  local saved = {}
  local file = io.open(state_file, "r")
  if file then
    file:close()
    for _, row in ipairs(lines(state_file)) do
      saved[row[1]] = { tonumber(row[2]), tonumber(row[3]), tonumber(row[4]) }
    end
  end
  places = {}
  users = {}
  for index, row in ipairs(lines(args[1])) do
    -- Each thread serves only its own users (every stride-th), so no two connections ever act
    -- for one user at once.
    if (index - 1) % stride == thread_id - 1 then
      local user = { name = row[1], sha = row[2], key = row[3], basic = row[4], index = index - 1,
                     show = shows[(index + seed) % #shows + 1], step = 0, episodes = 0, movies = 0 }
      if saved[user.name] then
        user.step, user.episodes, user.movies = unpack(saved[user.name])
        places[user.name] = table.concat(saved[user.name], "\t")
        -- The check-in may have been the last request of the previous run, sent but perhaps
        -- never served; then "no active checkin" is the right answer to its cancellation.
        user.cancel_may_find_none = CYCLE[user.step % #CYCLE + 1][1] == "cancelcheckin"
      else -- a user this driver has not seen starts somewhere in their show
        user.episodes = (user.index * 13 + seed * 7) % user.show.episodes
      end
      users[#users + 1] = user
    end
  end
  cursor = 0
  math.randomseed(thread_id * 7919 + run * 104729 + seed)
  latencies, failures, samples = {}, {}, {}
  current_kind, started = nil, 0
end

local function credentials(user)
  return string.format('"username":"%s","password":"%s"', user.name, user.sha)
end

local function post_body(path, user, fields)
  local body = "{" .. credentials(user) .. (fields ~= "" and ("," .. fields) or "") .. "}"
  return wrk.format("POST", path, JSON, body)
end

-- A read sent the two ways clients send credentials: half GET with HTTP Basic, half POST with
-- them in the JSON body.
local function read(path, user)
  if math.random() < 0.5 then
    return wrk.format("GET", path, { Authorization = "Basic " .. user.basic })
  end
  return post_body(path, user, "")
end

local function episode_fields(user, progress)
  local n = user.episodes % user.show.episodes
  return string.format('"tvdb_id":%s,"title":"Show %s","year":2010,"season":%d,"episode":%d,' ..
                       '"duration":45,"progress":%d,%s', user.show.tvdb, user.show.tvdb,
                       1 + math.floor(n / user.show.per_season), 1 + n % user.show.per_season, progress,
                       MEDIA_CENTER)
end

local function movie_fields(user)
  local n = (user.index * 7919 + seed * 31 + user.movies) % movie_count
  return string.format('"imdb_id":"tt%07d","title":"Movie %d","year":2000', 1000000 + n, n)
end

local function remember(user)
  -- A flat table of strings: wrk's thread:get() cannot copy nested tables.
  places[user.name] = user.step .. "\t" .. user.episodes .. "\t" .. user.movies
end

local function playback(user)
  local action, progress = unpack(CYCLE[user.step % #CYCLE + 1])
  user.step = user.step + 1
  current_kind = REPORTED[action]
  local key = "/" .. user.key
  if action == "watch_ep" then
    return post_body("/show/watching" .. key, user, episode_fields(user, progress))
  elseif action == "scrobble_ep" then
    local fields = episode_fields(user, progress)
    user.episodes = user.episodes + 1
    remember(user)
    return post_body("/show/scrobble" .. key, user, fields)
  elseif action == "watch_movie" then
    return post_body("/movie/watching" .. key, user, movie_fields(user) ..
                     string.format(',"duration":100,"progress":%d,', progress) .. MEDIA_CENTER)
  elseif action == "scrobble_movie" then
    local fields = movie_fields(user) .. string.format(',"duration":100,"progress":%d,', progress) .. MEDIA_CENTER
    user.movies = user.movies + 1
    remember(user)
    return post_body("/movie/scrobble" .. key, user, fields)
  elseif action == "checkin" then
    remember(user)
    return post_body("/movie/checkin" .. key, user, movie_fields(user) .. ',"app_version":"1.0","app_date":"2014-07-01"')
  end
  remember(user)
  may_find_none = user.cancel_may_find_none
  user.cancel_may_find_none = false
  return post_body("/movie/cancelcheckin" .. key, user, "")
end

-- A title drawn the way attention falls: a few popular ones most of the time.
local function popular(count)
  return math.min(count - 1, math.floor(count * math.random() ^ 3))
end

local function pick_kind()
  local roll = math.random() * 100
  for _, entry in ipairs(MIX) do
    roll = roll - entry[2]
    if roll < 0 then
      return entry[1]
    end
  end
  return MIX[1][1]
end

local function build(user)
  local kind = pick_kind()
  current_kind = kind
  local key = user.key
  if kind == "playback" then
    return playback(user)
  elseif kind == "lastactivity" then
    return read("/user/lastactivity.json/" .. key .. "/" .. user.name, user)
  elseif kind == "library" then
    local which = LIBRARY[math.random(#LIBRARY)]
    return read("/user/library/" .. which .. ".json/" .. key .. "/" .. user.name .. "/min", user)
  elseif kind == "progress" then
    local title = math.random() < 0.5 and ("/" .. user.show.tvdb) or ""
    return read("/user/progress/watched.json/" .. key .. "/" .. user.name .. title, user)
  elseif kind == "summary" then
    local roll = math.random()
    if roll < 0.5 then
      return read(string.format("/movie/summary.json/%s/tt%07d", key, 1000000 + popular(movie_count)), user)
    elseif roll < 0.8 then
      return read("/show/summary.json/" .. key .. "/" .. user.show.tvdb, user)
    end
    local n = popular(user.show.episodes)
    return read(string.format("/show/episode/summary.json/%s/%s/%d/%d", key, user.show.tvdb,
                              1 + math.floor(n / user.show.per_season), 1 + n % user.show.per_season), user)
  elseif kind == "search" then
    local section = math.random() < 0.6 and "movies" or "shows"
    return read("/search/" .. section .. ".json/" .. key .. "/" .. WORDS[math.random(#WORDS)], user)
  end
  if math.random() < 0.5 then
    return read("/calendar/shows.json/" .. key .. "/" .. today .. "/7", user)
  end
  return read("/user/calendar/shows.json/" .. key .. "/" .. user.name .. "/" .. today .. "/7", user)
end

function request()
  local user = users[cursor % #users + 1]
  cursor = cursor + 1
  local built
  may_find_none = false
  if mode == "bare" then
    current_kind = "bare"
    built = wrk.format("GET", "/bench/bare")
  elseif mode == "time" then
    current_kind = "time"
    built = wrk.format("GET", "/server/time.json/" .. user.key)
  else
    built = build(user)
  end
  started = now_us()
  return built
end

local WRITES = { watching = true, scrobble = true, checkin = true }
-- wrk's thread:get() crashes on nested tables, so each latency is one number: the kind's code
-- times LATENCY_SPAN, plus the microseconds.
local KINDS = { "watching", "scrobble", "checkin", "lastactivity", "library", "summary", "calendar",
                "progress", "search", "bare", "time" }
local KIND_CODES = {}
for code, kind in ipairs(KINDS) do
  KIND_CODES[kind] = code
end
local LATENCY_SPAN = 1e10

function response(status, headers, body)
  local elapsed = now_us() - started
  local kind = current_kind
  latencies[#latencies + 1] = KIND_CODES[kind] * LATENCY_SPAN + math.floor(elapsed)
  -- Zero errors means a 2xx answer whose body is not a failure, and for writes a success.
  local ok = status >= 200 and status < 300
    and not body:find('"status":"failure"', 1, true) and not body:find('"status":"error"', 1, true)
    and (not WRITES[kind] or body:find('"status":"success"', 1, true) ~= nil)
  ok = ok or (may_find_none and status >= 400 and status < 500 and body:find("there is no active checkin", 1, true) ~= nil)
  if not ok then
    failures[kind] = (failures[kind] or 0) + 1
    if #samples < 5 then
      samples[#samples + 1] = kind .. " " .. status .. " " .. body:sub(1, 200)
    end
  end
end

local function percentile(sorted, p)
  if #sorted == 0 then
    return 0
  end
  return sorted[math.max(1, math.ceil(#sorted * p / 100))]
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

function done(summary, latency, requests)
  local merged, failed, examples, saved = {}, {}, {}, {}
  for _, thread in ipairs(threads) do
    for _, value in ipairs(thread:get("latencies")) do
      local kind = KINDS[math.floor(value / LATENCY_SPAN)]
      merged[kind] = merged[kind] or {}
      merged[kind][#merged[kind] + 1] = value % LATENCY_SPAN
    end
    for kind, count in pairs(thread:get("failures")) do
      failed[kind] = (failed[kind] or 0) + count
    end
    for _, sample in ipairs(thread:get("samples")) do
      examples[#examples + 1] = json_string(sample)
    end
    for name, place in pairs(thread:get("places")) do
      saved[#saved + 1] = name .. "\t" .. place
    end
  end
  -- done() runs in wrk's main Lua state, where init() never ran.
  if #saved > 0 then
    local file = io.open(threads[1]:get("state_file"), "w")
    file:write(table.concat(saved, "\n"), "\n")
    file:close()
  end
  local kinds = {}
  for kind, list in pairs(merged) do
    table.sort(list)
    kinds[#kinds + 1] = string.format('"%s":{"count":%d,"failures":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}',
                                      kind, #list, failed[kind] or 0, percentile(list, 50), percentile(list, 95),
                                      percentile(list, 99), list[#list])
  end
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"kinds":{%s},"samples":[%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout, table.concat(kinds, ","), table.concat(examples, ",")))
end
