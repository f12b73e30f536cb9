-- wrk script for bench/playback.py: media-centre playback traffic from many users.
--
-- wrk -t THREADS -s bench/playback.lua URL -- USERS_FILE RUN PACE_MS KIND THREADS
--   USERS_FILE  one "username<TAB>sha1<TAB>apikey<TAB>show_tvdb_id" line per user
--   RUN         run number; items scrobbled in run n never repeat those of earlier runs
--   PACE_MS     mean pause before each request on a connection (exponential); 0 = flat out
--   KIND        "playback" or "time" (server/time, the fixed cost of a request)
--   THREADS     the -t value: thread n serves users n, n + THREADS, n + 2 * THREADS, ...
--
-- Each user repeats the cycle a media centre produces, pinging every 15 minutes as the API
-- documentation asks: a 45-minute episode (pings at 0, 15 and 30 minutes, then the scrobble),
-- a 100-minute movie (seven pings, then the scrobble), and a check-in with its cancellation.
-- Users are served round-robin, so one user's requests are never in flight at the same time.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

-- { action, progress in percent }
local CYCLE = { { "watch_ep", 0 }, { "watch_ep", 33 }, { "watch_ep", 67 }, { "scrobble_ep", 95 },
                { "watch_movie", 0 }, { "watch_movie", 15 }, { "watch_movie", 30 }, { "watch_movie", 45 },
                { "watch_movie", 60 }, { "watch_movie", 75 }, { "watch_movie", 90 }, { "scrobble_movie", 95 },
                { "checkin", 0 }, { "cancelcheckin", 0 } }
local ITEMS_PER_RUN = 20
local MOVIES = 300
local EPISODES_PER_SEASON = 20

function init(args)
  users_file, run, pace, kind, stride = args[1], tonumber(args[2]), tonumber(args[3]), args[4], tonumber(args[5])
  counts = {}
  users = {}
  local index = 0
  for line in io.lines(users_file) do
    local name, sha, key, tvdb = line:match("^(%S+)\t(%S+)\t(%S+)\t(%S+)$")
    if name then
      users[#users + 1] = { name = name, sha = sha, key = key, tvdb = tvdb, index = index,
                            step = 0, episodes = 0, movies = 0 }
      index = index + 1
    end
  end
  cursor = thread_id - 1
  math.randomseed(thread_id * 7919 + run * 104729)
end

local function credentials(user)
  return string.format('"username":"%s","password":"%s"', user.name, user.sha)
end

local function episode_body(user)
  local n = run * ITEMS_PER_RUN + user.episodes
  return string.format('"tvdb_id":%s,"title":"Bench Show %s","year":2010,"season":%d,"episode":%d',
                       user.tvdb, user.tvdb, 1 + math.floor(n / EPISODES_PER_SEASON), 1 + n % EPISODES_PER_SEASON)
end

local function movie_body(user)
  local n = (user.index * 7 + run * ITEMS_PER_RUN + user.movies) % MOVIES
  return string.format('"imdb_id":"tt%07d","title":"Bench Movie %d","year":2000', 9000000 + n, n)
end

local MEDIA_CENTER = '"plugin_version":"2.3.2","media_center_version":"13.2","media_center_date":"Jul 1 2014"'
local HEADERS = { ["Content-Type"] = "application/json" }

local function post(method, user, fields)
  local body = "{" .. credentials(user) .. (fields ~= "" and ("," .. fields) or "") .. "}"
  return wrk.format("POST", "/" .. method .. "/" .. user.key, HEADERS, body)
end

function request()
  local user = users[cursor % #users + 1]
  cursor = cursor + stride
  if kind == "time" then
    return wrk.format("GET", "/server/time.json/" .. user.key)
  end
  local action, progress = unpack(CYCLE[user.step % #CYCLE + 1])
  user.step = user.step + 1
  if action == "watch_ep" then
    return post("show/watching", user, episode_body(user) .. string.format(',"duration":45,"progress":%d,', progress) .. MEDIA_CENTER)
  elseif action == "scrobble_ep" then
    local fields = episode_body(user) .. string.format(',"duration":45,"progress":%d,', progress) .. MEDIA_CENTER
    user.episodes = user.episodes + 1
    return post("show/scrobble", user, fields)
  elseif action == "watch_movie" then
    return post("movie/watching", user, movie_body(user) .. string.format(',"duration":100,"progress":%d,', progress) .. MEDIA_CENTER)
  elseif action == "scrobble_movie" then
    local fields = movie_body(user) .. string.format(',"duration":100,"progress":%d,', progress) .. MEDIA_CENTER
    user.movies = user.movies + 1
    return post("movie/scrobble", user, fields)
  elseif action == "checkin" then
    return post("movie/checkin", user, movie_body(user) .. ',"app_version":"1.0","app_date":"2014-07-01"')
  end
  return post("movie/cancelcheckin", user, "")
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function delay()
  if pace > 0 then
    return -math.log(1 - math.random()) * pace
  end
  return 0
end

function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do
      statuses[#statuses + 1] = string.format('"%d":%d', status, count)
    end
  end
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, table.concat(statuses, ",")))
end
