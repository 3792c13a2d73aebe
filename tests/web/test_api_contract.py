"""The JSON API of issue 4: every endpoint and field exists and the OpenAPI document says so."""
ENDPOINTS = [
    ("post", "/api/v1/auth/token"), ("get", "/api/v1/me"),
    ("post", "/api/v1/consultations"), ("get", "/api/v1/consultations"),
    ("get", "/api/v1/consultations/{consultation_id}"), ("get", "/api/v1/tasks"),
    ("get", "/api/v1/tasks/{task_id}"), ("post", "/api/v1/tasks/{task_id}/claim"),
    ("post", "/api/v1/tasks/{task_id}/release"), ("post", "/api/v1/tasks/{task_id}/complete"),
    ("get", "/api/v1/processes/{key}/start-form"),
]
TASK_FIELDS = {"id", "key", "name", "role", "consultation_id", "assignee", "due_at",
               "created_at"}


def _schema(spec, ref_or_schema):
    ref = ref_or_schema.get("$ref") or ref_or_schema.get("items", {}).get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else ref_or_schema


def test_openapi_documents_every_endpoint_and_field(client):
    spec = client.get("/api/v1/openapi.json").json
    for method, path in ENDPOINTS:
        assert method in spec["paths"].get(path, {}), f"{method.upper()} {path}"
    ok = spec["paths"]["/api/v1/tasks"]["get"]["responses"]["200"]
    task = _schema(spec, ok["content"]["application/json"]["schema"])
    assert TASK_FIELDS <= set(task["properties"])
    detail_ok = spec["paths"]["/api/v1/consultations/{consultation_id}"]["get"]["responses"]
    detail = _schema(spec, detail_ok["200"]["content"]["application/json"]["schema"])
    assert {"id", "title", "question", "category", "status", "answers", "timeline"} <= set(
        detail["properties"])


def test_a_consultation_through_the_api_has_the_promised_shape(client, api_headers, demo):
    citizen = api_headers("citizen_zhang")
    created = client.post("/api/v1/consultations", headers=citizen, json={
        "title": "加班费", "question": "公司不给加班费怎么办？", "category": "labor",
        "case_status": "none", "contact_phone": "13912345678"})
    assert created.status_code == 201 and set(created.json) == {"id", "status"}
    lawyer = api_headers(demo.lawyer_of(created.json["id"]))
    listed = client.get("/api/v1/tasks", headers=lawyer).json
    task = next(t for t in listed if t["consultation_id"] == created.json["id"])
    assert TASK_FIELDS <= set(task) and task["key"] == "answer_consultation"
    detail = client.get(f"/api/v1/tasks/{task['id']}", headers=lawyer).json
    field = next(f for f in detail["form"]["fields"] if f["id"] == "decision")
    assert {"id", "label", "type", "required", "options"} <= set(field)
    assert field["type"] == "enum" and {"id": "answer", "name": field["options"][0]["name"]} \
        in field["options"]
    assert detail["context"]["title"] == "加班费" and "contact_phone" not in detail["context"]
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=lawyer, json={
        "data": {"decision": "answer", "answer_text": "可以主张加班费。"},
        "revision": detail["revision"]})
    assert done.status_code == 200 and done.json["state"] == "completed"
    body = client.get(f"/api/v1/consultations/{created.json['id']}", headers=citizen).json
    answer = body["answers"][0]
    assert {"text", "author", "kind", "published_at"} <= set(answer)
    assert answer["author"] and body["timeline"][0]["event"] == "consultation_submitted"


def test_consultation_statuses_in_the_api_are_the_enums(client, api_headers, demo):
    from engine.consultation.status import Status

    citizen = api_headers("citizen_zhang")
    assert client.get("/api/v1/consultations?status=assigned", headers=citizen).status_code == 200
    unknown = client.get("/api/v1/consultations?status=lost", headers=citizen)
    assert unknown.status_code == 422 and "status" in str(unknown.json)
    spec = client.get("/api/v1/openapi.json").json
    out = spec["components"]["schemas"]["ConsultationOut"]["properties"]["status"]
    assert out["enum"] == [s.value for s in Status]
