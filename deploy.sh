#!/usr/bin/env bash
# One command from an empty Google Cloud project to a running Faultline pipeline.
# Safe to run again: every resource is looked up (describe) before it is created or changed,
# and a second run on an unchanged checkout changes nothing. README: "Deploy to Google Cloud".
set -euo pipefail

# shellcheck source=scripts/deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/deploy/lib.sh"
# shellcheck source=scripts/deploy/steps.sh
source "$FAULTLINE_ROOT/scripts/deploy/steps.sh"

usage() {
  cat <<'EOF'
Usage: ./deploy.sh --project PROJECT --region REGION [options]

Creates (or brings up to date) everything Faultline needs in PROJECT: APIs, service
accounts, Pub/Sub topics, the BigQuery dataset with its tables and views, the webhook
secret, the functions ingestLogEntry and evaluateAlerts, the Cloud Scheduler job and the
log sink. Existing resources are kept; a second run changes nothing.

Options:
  --project PROJECT        Google Cloud project id (required)
  --region REGION          region of the functions, the dataset and the scheduler job (required)
  --dataset DATASET        BigQuery dataset (default: faultline)
  --service-filter EXPR    Logging query ANDed to the sink filter, to watch some services only,
                           e.g. 'resource.labels.service_name=("api" OR "worker")'
  --schedule CRON          when evaluateAlerts runs (default: '*/10 * * * *', UTC)
  --webhook-url-file FILE  store the alert webhook URL (https://...) read from FILE in Secret Manager
  --dry-run                print every command without running any (assumes an empty project)
  -h, --help               this help
EOF
}

DATASET=faultline
SERVICE_FILTER=""
SCHEDULE='*/10 * * * *'
WEBHOOK_URL_FILE=""

value_of() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }

while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --project | --region | --dataset | --service-filter | --schedule | --webhook-url-file)
      value_of "$@"
      set -- "$1=$2" "${@:3}"
      ;;
    --project=*) PROJECT=${1#*=}; shift ;;
    --region=*) REGION=${1#*=}; shift ;;
    --dataset=*) DATASET=${1#*=}; shift ;;
    --service-filter=*) SERVICE_FILTER=${1#*=}; shift ;;
    --schedule=*) SCHEDULE=${1#*=}; shift ;;
    --webhook-url-file=*) WEBHOOK_URL_FILE=${1#*=}; shift ;;
    *) die "unknown argument '$1' (--help for usage)" ;;
  esac
done

validate_names
[[ -z $WEBHOOK_URL_FILE || -r $WEBHOOK_URL_FILE ]] || die "cannot read --webhook-url-file '$WEBHOOK_URL_FILE'"
require_tools node
((DRY_RUN)) || require_tools gcloud bq

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ENTRY_POINTS=$(helper entry-points "$FAULTLINE_ROOT/functions/index.ts")
for entry in $ENTRY_POINTS; do
  function_spec "$entry" >/dev/null || die "functions/index.ts registers $entry, which deploy.sh does not know how to deploy"
done
[[ $ENTRY_POINTS == *ingestLogEntry* ]] || die "functions/index.ts does not register ingestLogEntry"
((DRY_RUN)) && note "dry run: nothing is run; the project is assumed empty"

enable_apis
read_project_number
ensure_service_accounts
ensure_topics
ensure_webhook_secret
ensure_bigquery
grant_runtime_roles
for entry in $ENTRY_POINTS; do
  deploy_function "$entry"
  configure_delivery "$entry"
done
if [[ $ENTRY_POINTS == *evaluateAlerts* ]]; then
  ensure_scheduler_job
else
  note "functions/index.ts does not register evaluateAlerts yet: no scheduler job"
fi
# Last, so that entries flow only once the function and its subscription exist.
ensure_log_sink
note "done: project $PROJECT, region $REGION, dataset $DATASET"
