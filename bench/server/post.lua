-- wrk script: POST /api/tasks with a small task body. PROJECT comes from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"projectId":"' .. os.getenv("PROJECT") .. '","title":"Benchmark task","priority":"low"}'
