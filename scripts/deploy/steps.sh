# shellcheck shell=bash
# The steps of deploy.sh, in the order it runs them. Each one looks before it creates.

# shellcheck source=scripts/deploy/bigquery.sh
source "$FAULTLINE_ROOT/scripts/deploy/bigquery.sh"
# shellcheck source=scripts/deploy/sink.sh
source "$FAULTLINE_ROOT/scripts/deploy/sink.sh"

APIS=(
  bigquery.googleapis.com cloudbuild.googleapis.com cloudfunctions.googleapis.com
  cloudresourcemanager.googleapis.com cloudscheduler.googleapis.com eventarc.googleapis.com
  iam.googleapis.com logging.googleapis.com pubsub.googleapis.com run.googleapis.com
  secretmanager.googleapis.com artifactregistry.googleapis.com storage.googleapis.com
)

# function_spec ENTRY_POINT: function, trigger topic, runtime service account, concurrency,
# max instances, timeout. ingestLogEntry batches concurrent deliveries (functions/app/batcher.ts),
# hence its concurrency; evaluateAlerts runs one evaluation at a time.
function_spec() {
  case $1 in
    ingestLogEntry) printf '%s %s %s 80 20 60s\n' "$FN_INGEST" "$TOPIC_LOGS" "$SA_INGEST" ;;
    evaluateAlerts) printf '%s %s %s 1 1 300s\n' "$FN_ALERTS" "$TOPIC_TICK" "$SA_ALERTS" ;;
    *) return 1 ;;
  esac
}

enable_apis() {
  local enabled api
  local -a missing=()
  enabled=$(read_value "" gcloud services list --enabled --project="$PROJECT" --format='value(config.name)')
  for api in "${APIS[@]}"; do
    grep -qx "$api" <<<"$enabled" || missing+=("$api")
  done
  if ((${#missing[@]})); then act gcloud services enable "${missing[@]}" --project="$PROJECT"; fi
}

read_project_number() {
  PROJECT_NUMBER=$(read_value '<project-number>' gcloud projects describe "$PROJECT" --format='value(projectNumber)')
  PUBSUB_AGENT="service-$PROJECT_NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com"
}

ensure_service_account() {
  local id=$1 title=$2
  if ! check gcloud iam service-accounts describe "$(sa_email "$id")" --project="$PROJECT"; then
    act gcloud iam service-accounts create "$id" --project="$PROJECT" --display-name="$title"
  fi
}

ensure_service_accounts() {
  ensure_service_account "$SA_INGEST" "Faultline ingestLogEntry runtime"
  ensure_service_account "$SA_ALERTS" "Faultline evaluateAlerts runtime"
  ensure_service_account "$SA_TRIGGER" "Faultline Eventarc trigger identity"
  ensure_service_account "$SA_BUILD" "Faultline function builds"
}

ensure_topics() {
  local topic
  for topic in "$TOPIC_LOGS" "$TOPIC_ALERTS" "$TOPIC_DEAD" "$TOPIC_TICK"; do
    if ! check gcloud pubsub topics describe "$topic" --project="$PROJECT"; then
      act gcloud pubsub topics create "$topic" --project="$PROJECT" --labels=component=faultline
    fi
  done
  # Messages published to a topic without a subscription are dropped: this one keeps them.
  if ! check gcloud pubsub subscriptions describe "$SUB_DEAD" --project="$PROJECT"; then
    act gcloud pubsub subscriptions create "$SUB_DEAD" --project="$PROJECT" --topic="$TOPIC_DEAD" \
      --message-retention-duration=7d --expiration-period=never --labels=component=faultline
  fi
  ensure_binding roles/pubsub.publisher "serviceAccount:$PUBSUB_AGENT" "pubsub topics" "$TOPIC_DEAD" --project="$PROJECT"
}

# The webhook URL is a secret (it authorizes posting). It is read from a file, never from the
# command line, and a version is added only when the stored one differs.
ensure_webhook_secret() {
  if ! check gcloud secrets describe "$SECRET_WEBHOOK" --project="$PROJECT"; then
    act gcloud secrets create "$SECRET_WEBHOOK" --project="$PROJECT" --replication-policy=automatic --labels=component=faultline
  fi
  local latest="" current="" url
  probe latest gcloud secrets versions list "$SECRET_WEBHOOK" --project="$PROJECT" --filter=state:ENABLED --limit=1 --format='value(name)' || true
  if [[ -n $WEBHOOK_URL_FILE ]]; then
    url=$(tr -d '[:space:]' <"$WEBHOOK_URL_FILE")
    [[ $url == https://* ]] || die "--webhook-url-file must hold an https:// URL"
    if [[ -n $latest ]]; then
      current=$(read_value "" gcloud secrets versions access latest --secret="$SECRET_WEBHOOK" --project="$PROJECT")
    fi
    if [[ -z $latest || $current != "$url" ]]; then
      printf '%s' "$url" | act gcloud secrets versions add "$SECRET_WEBHOOK" --project="$PROJECT" --data-file=- >/dev/null
      latest=added
    fi
  fi
  WEBHOOK_READY=0
  if [[ -n $latest ]]; then WEBHOOK_READY=1; else note "no webhook URL in secret $SECRET_WEBHOOK: webhook alerts stay off (--webhook-url-file)"; fi
}

# Least privilege: the one dataset, the one alerts topic, the one secret. Both functions run
# query jobs (ingestLogEntry claims alert keys with a MERGE, evaluateAlerts runs the saved
# SQL), so both get jobUser, which exists at project level only.
grant_runtime_roles() {
  local sa role
  local -a runtimes=("serviceAccount:$(sa_email "$SA_INGEST")" "serviceAccount:$(sa_email "$SA_ALERTS")")
  for sa in "${runtimes[@]}"; do ensure_dataset_role roles/bigquery.dataEditor "${sa#serviceAccount:}"; done
  for sa in "${runtimes[@]}"; do ensure_binding roles/pubsub.publisher "$sa" "pubsub topics" "$TOPIC_ALERTS" --project="$PROJECT"; done
  for sa in "${runtimes[@]}"; do ensure_binding roles/secretmanager.secretAccessor "$sa" secrets "$SECRET_WEBHOOK" --project="$PROJECT"; done
  for sa in "${runtimes[@]}"; do ensure_binding roles/bigquery.jobUser "$sa" projects "$PROJECT"; done
  for role in roles/logging.logWriter roles/artifactregistry.writer roles/storage.objectAdmin; do
    ensure_binding "$role" "serviceAccount:$(sa_email "$SA_BUILD")" projects "$PROJECT"
  done
}

# Deploys when the function is missing or its sources or settings changed: their hash is the
# function's label faultline_source.
deploy_function() {
  local name topic sa concurrency max_instances timeout
  read -r name topic sa concurrency max_instances timeout <<<"$(function_spec "$1")"
  local env="FAULTLINE_PROJECT=$PROJECT,FAULTLINE_DATASET=$DATASET,FAULTLINE_ALERTS_TOPIC=projects/$PROJECT/topics/$TOPIC_ALERTS"
  local -a settings=(
    --gen2 --runtime=nodejs20 --entry-point="$1" --trigger-topic="$topic" --retry
    --service-account="$(sa_email "$sa")" --trigger-service-account="$(sa_email "$SA_TRIGGER")"
    --build-service-account="projects/$PROJECT/serviceAccounts/$(sa_email "$SA_BUILD")"
    --ingress-settings=internal-only --memory=512Mi --cpu=1 --concurrency="$concurrency"
    --max-instances="$max_instances" --timeout="$timeout" --set-env-vars="$env"
  )
  if ((WEBHOOK_READY)); then settings+=(--set-secrets="FAULTLINE_WEBHOOK_URL=$SECRET_WEBHOOK:latest"); fi
  local hash deployed=""
  hash=$(helper source-hash "$FAULTLINE_ROOT" "$name ${settings[*]}")
  if probe deployed gcloud functions describe "$name" --v2 --project="$PROJECT" --region="$REGION" \
    --format='value(labels.faultline_source)' && [[ $deployed == "$hash" ]]; then
    return 0
  fi
  act gcloud functions deploy "$name" --project="$PROJECT" --region="$REGION" --source="$FAULTLINE_ROOT" \
    "${settings[@]}" --update-labels="component=faultline,faultline_source=$hash"
}

# Retries come from the function (--retry); giving up after MAX_DELIVERY_ATTEMPTS and keeping
# the message is set on the subscription Eventarc created, which gcloud has no flag for.
configure_delivery() {
  local name trigger subscription policy
  read -r name _ <<<"$(function_spec "$1")"
  trigger=$(read_value "<eventarc-trigger-of-$name>" gcloud functions describe "$name" --v2 --project="$PROJECT" \
    --region="$REGION" --format='value(eventTrigger.trigger)')
  subscription=$(read_value "<eventarc-subscription-of-$name>" gcloud eventarc triggers describe "${trigger##*/}" \
    --project="$PROJECT" --location="$REGION" --format='value(transport.pubsub.subscription)')
  subscription=${subscription##*/}
  policy=$(read_value "" gcloud pubsub subscriptions describe "$subscription" --project="$PROJECT" \
    --format='value(deadLetterPolicy.deadLetterTopic,deadLetterPolicy.maxDeliveryAttempts)')
  if [[ $policy != "projects/$PROJECT/topics/$TOPIC_DEAD"$'\t'"$MAX_DELIVERY_ATTEMPTS" ]]; then
    act gcloud pubsub subscriptions update "$subscription" --project="$PROJECT" \
      --dead-letter-topic="$TOPIC_DEAD" --max-delivery-attempts="$MAX_DELIVERY_ATTEMPTS" >/dev/null
  fi
  # Dead-lettering: the Pub/Sub service agent acknowledges on the source subscription.
  ensure_binding roles/pubsub.subscriber "serviceAccount:$PUBSUB_AGENT" "pubsub subscriptions" "$subscription" --project="$PROJECT"
  ensure_binding roles/run.invoker "serviceAccount:$(sa_email "$SA_TRIGGER")" "run services" "$name" \
    --project="$PROJECT" --region="$REGION"
}

ensure_scheduler_job() {
  local schedule=""
  if probe schedule gcloud scheduler jobs describe "$JOB_ALERTS" --project="$PROJECT" --location="$REGION" --format='value(schedule)'; then
    if [[ $schedule != "$SCHEDULE" ]]; then
      act gcloud scheduler jobs update pubsub "$JOB_ALERTS" --project="$PROJECT" --location="$REGION" --schedule="$SCHEDULE" >/dev/null
    fi
    return 0
  fi
  act gcloud scheduler jobs create pubsub "$JOB_ALERTS" --project="$PROJECT" --location="$REGION" \
    --schedule="$SCHEDULE" --time-zone=Etc/UTC --topic="projects/$PROJECT/topics/$TOPIC_TICK" \
    --message-body='{"source":"faultline-scheduler"}' --description="Runs Faultline evaluateAlerts" >/dev/null
}
