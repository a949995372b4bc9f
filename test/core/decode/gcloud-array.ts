/** `gcloud logging read --format=json` output: sorted keys, two-space indentation, one array. */
export const GCLOUD_ARRAY = `[
  {
    "insertId": "6650f1a2000c3b5e2d4f8a1c",
    "labels": {
      "instanceId": "0069c7a98840b3e5"
    },
    "logName": "projects/acme-prod/logs/run.googleapis.com%2Fvarlog%2Fsystem",
    "receiveTimestamp": "2026-03-01T10:00:00.456789012Z",
    "resource": {
      "labels": {
        "configuration_name": "orders-api",
        "location": "europe-west1",
        "project_id": "acme-prod",
        "revision_name": "orders-api-00042-xuz",
        "service_name": "orders-api"
      },
      "type": "cloud_run_revision"
    },
    "severity": "ERROR",
    "textPayload": "Default STARTUP TCP probe failed 1 time consecutively for container \\"api-1\\" on port 8080.",
    "timestamp": "2026-03-01T10:00:00.123456789Z"
  },
  {
    "insertId": "xk3m9q7f1a2b3c4d",
    "logName": "projects/acme-prod/logs/stderr",
    "receiveTimestamp": "2026-03-01T10:00:05.886211923Z",
    "resource": {
      "labels": {
        "cluster_name": "prod-eu",
        "container_name": "api",
        "location": "europe-west4",
        "namespace_name": "orders",
        "pod_name": "orders-api-7c9d8f6b5-x2k4p",
        "project_id": "acme-prod"
      },
      "type": "k8s_container"
    },
    "severity": "ERROR",
    "textPayload": "Traceback (most recent call last):\\n  File \\"/app/main.py\\", line 3, in <module>\\n    import orders_core\\nModuleNotFoundError: No module named 'orders_core'\\n",
    "timestamp": "2026-03-01T10:00:03.219774511Z"
  },
  {
    "httpRequest": {
      "latency": "0.003581s",
      "protocol": "HTTP/1.1",
      "remoteIp": "35.191.0.1",
      "requestMethod": "GET",
      "requestSize": "312",
      "requestUrl": "https://orders-api-abc123-ew.a.run.app/healthz",
      "responseSize": "1045",
      "status": 503,
      "userAgent": "GoogleHC/1.0"
    },
    "insertId": "65e1b2c3000d4e5f6a7b8c9d",
    "logName": "projects/acme-prod/logs/run.googleapis.com%2Frequests",
    "receiveTimestamp": "2026-03-01T10:00:02.637544Z",
    "resource": {
      "labels": {
        "location": "europe-west1",
        "project_id": "acme-prod",
        "revision_name": "orders-api-00042-xuz",
        "service_name": "orders-api"
      },
      "type": "cloud_run_revision"
    },
    "severity": "ERROR",
    "spanId": "1043981282512917236",
    "timestamp": "2026-03-01T10:00:02.418903Z",
    "trace": "projects/acme-prod/traces/4bf92f3577b34da6a3ce929d0e0e4736",
    "traceSampled": true
  }
]
`;
