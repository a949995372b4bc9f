# shellcheck shell=bash
# The log sink: which entries Faultline receives, and the one grant its writer identity needs.

# Words of startup, failure and success lines (shared/spec/taxonomy.md). Severity is no
# evidence (GKE logs all stderr as ERROR, JSON loggers log failures at INFO), so an entry
# passes on its severity OR on these words. The test suite checks that every labelled
# startup entry of the corpus and every rule example of a startup category passes.
# RE2, case-insensitive; no backslashes or quotes, so it needs no escaping in the filter.
STARTUP_WORDS='(?i)(start|boot|listen|ready|initiali[sz]|init |phase|probe|exit|terminat|signal|kill|crash|fail|error|exception|traceback|panic|fatal|timed? ?out|deadline|refused|denied|forbidden|unauthori[sz]ed|permission|not found|no such|not defined|does not provide|cannot|can.t|could not|couldn.t|unable|missing|invalid|improperly|must not|must be set|back-?off|memory|oom|heap|eaddrinuse|address already in use|eai_again|enotfound|getaddrinfo|econnrefused|too many|exhausted|connect|serving|running on|with bandit|with cowboy|caused by|line [0-9]+, in |goroutine|module|import|require|environment variable|configur|secret|worker|container|image|pull|mingle|authorizing|changelog lock|installed features|activated|next.js|migrations? to schema)'

# Where the message of an entry can be (functions/core/classify/message.ts), .NET's JSON
# console, Serilog's compact JSON, ECS layouts and journald (GKE nodes' kubelet) included: keys
# that are no names are quoted.
MESSAGE_FIELDS=(textPayload jsonPayload.message jsonPayload.msg jsonPayload.event jsonPayload.error
  jsonPayload.exception jsonPayload.stack_trace protoPayload.status.message
  jsonPayload.Message jsonPayload.Exception 'jsonPayload."@m"' 'jsonPayload."@mt"' 'jsonPayload."@x"'
  'jsonPayload."error.message"' 'jsonPayload."error.stack_trace"' jsonPayload.error.stack_trace
  jsonPayload.MESSAGE)

sink_filter() {
  local sources content own field
  # Cloud Run revisions and jobs, functions and GKE containers, without request logs; the
  # Kubernetes events that report probes, back-offs and OOM kills; and the nodes' kubelet
  # lines, which report what events do not (CrashLoopBackOff sync errors, startup probes,
  # CreateContainerConfigError; the kubelet.* rules).
  sources='(resource.type=("cloud_run_revision" OR "cloud_run_job" OR "cloud_function" OR "k8s_container")'
  sources+=' AND NOT log_id("run.googleapis.com/requests"))'
  sources+=' OR (resource.type=("k8s_pod" OR "k8s_node") AND log_id("events"))'
  sources+=' OR (resource.type="k8s_node" AND log_id("kubelet"))'
  content='severity>=WARNING'
  for field in "${MESSAGE_FIELDS[@]}"; do content+=" OR $field=~\"$STARTUP_WORDS\""; done
  # Faultline never classifies itself: its events carry the label component=faultline
  # (functions/adapters/telemetry/stdout.ts), and its functions' other lines (platform
  # lines, the framework's crash stacks) are excluded by service name.
  own="(\"$FN_INGEST\" OR \"$FN_ALERTS\")"
  local filter="($sources) AND ($content) AND NOT labels.component=\"faultline\""
  filter+=" AND NOT resource.labels.service_name=$own AND NOT resource.labels.function_name=$own"
  if [[ -n $SERVICE_FILTER ]]; then filter+=" AND ($SERVICE_FILTER)"; fi
  printf '%s' "$filter"
}

ensure_log_sink() {
  local filter current="" writer
  filter=$(sink_filter)
  if probe current gcloud logging sinks describe "$SINK" --project="$PROJECT" --format='value(filter)'; then
    if [[ $current != "$filter" ]]; then
      act gcloud logging sinks update "$SINK" --project="$PROJECT" --log-filter="$filter"
    fi
  else
    act gcloud logging sinks create "$SINK" "pubsub.googleapis.com/projects/$PROJECT/topics/$TOPIC_LOGS" \
      --project="$PROJECT" --log-filter="$filter" --description="Faultline: startup-relevant entries"
  fi
  writer=$(read_value '<sink-writer-identity>' gcloud logging sinks describe "$SINK" --project="$PROJECT" --format='value(writerIdentity)')
  ensure_binding roles/pubsub.publisher "$writer" "pubsub topics" "$TOPIC_LOGS" --project="$PROJECT"
}
