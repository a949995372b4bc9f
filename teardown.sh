#!/usr/bin/env bash
# Removes what deploy.sh created. The BigQuery dataset (the data) is kept unless
# --delete-data is given. Safe to run twice: only what exists is deleted.
set -euo pipefail

# shellcheck source=scripts/deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/deploy/lib.sh"

usage() {
  cat <<'EOF'
Usage: ./teardown.sh --project PROJECT --region REGION [--dataset DATASET] [--delete-data] (--yes | --dry-run)

Deletes the log sink, the scheduler job, the functions (and their Eventarc triggers), the
Pub/Sub topics and subscription, the webhook secret, the service accounts and their
project-level roles. The dataset and its tables are kept, and its grants revoked, unless
--delete-data is given.

Options:
  --project PROJECT   Google Cloud project id (required)
  --region REGION     region given to deploy.sh (required)
  --dataset DATASET   BigQuery dataset (default: faultline)
  --delete-data       also delete the dataset, its tables, views and every row in them
  --yes               really delete (without it, nothing is deleted)
  --dry-run           print every command without running any
  -h, --help          this help
EOF
}

DATASET=faultline
DELETE_DATA=0
CONFIRMED=0
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --yes) CONFIRMED=1; shift ;;
    --delete-data) DELETE_DATA=1; shift ;;
    --project | --region | --dataset)
      [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"
      set -- "$1=$2" "${@:3}"
      ;;
    --project=*) PROJECT=${1#*=}; shift ;;
    --region=*) REGION=${1#*=}; shift ;;
    --dataset=*) DATASET=${1#*=}; shift ;;
    *) die "unknown argument '$1' (--help for usage)" ;;
  esac
done
validate_names
((DRY_RUN || CONFIRMED)) || die "this deletes Faultline from $PROJECT: add --yes (or --dry-run to see the commands)"
require_tools node
((DRY_RUN)) || require_tools gcloud bq

# Teardown's dry run assumes everything exists, to show every delete.
exists() {
  if ((DRY_RUN)); then
    show_cmd "$@"
    return 0
  fi
  "$@" >/dev/null 2>&1
}

# delete_if_exists DESCRIBE... -- DELETE...
delete_if_exists() {
  local -a describe=()
  while [[ $1 != -- ]]; do describe+=("$1"); shift; done
  shift
  if exists "${describe[@]}"; then act "$@"; fi
}

P=--project="$PROJECT"
delete_if_exists gcloud logging sinks describe "$SINK" "$P" -- gcloud logging sinks delete "$SINK" "$P" --quiet
delete_if_exists gcloud scheduler jobs describe "$JOB_ALERTS" "$P" --location="$REGION" -- \
  gcloud scheduler jobs delete "$JOB_ALERTS" "$P" --location="$REGION" --quiet
for fn in "$FN_INGEST" "$FN_ALERTS"; do
  delete_if_exists gcloud functions describe "$fn" --v2 "$P" --region="$REGION" -- \
    gcloud functions delete "$fn" "$P" --region="$REGION" --quiet
done
delete_if_exists gcloud pubsub subscriptions describe "$SUB_DEAD" "$P" -- \
  gcloud pubsub subscriptions delete "$SUB_DEAD" "$P" --quiet
for topic in "$TOPIC_LOGS" "$TOPIC_ALERTS" "$TOPIC_DEAD" "$TOPIC_TICK"; do
  delete_if_exists gcloud pubsub topics describe "$topic" "$P" -- gcloud pubsub topics delete "$topic" "$P" --quiet
done
delete_if_exists gcloud secrets describe "$SECRET_WEBHOOK" "$P" -- gcloud secrets delete "$SECRET_WEBHOOK" "$P" --quiet

# Roles outlive their service account (as "deleted:serviceAccount:..."), so they go first.
for sa in "$SA_INGEST" "$SA_ALERTS"; do
  remove_binding roles/bigquery.jobUser "serviceAccount:$(sa_email "$sa")" projects "$PROJECT"
done
for role in roles/logging.logWriter roles/artifactregistry.writer roles/storage.objectAdmin; do
  remove_binding "$role" "serviceAccount:$(sa_email "$SA_BUILD")" projects "$PROJECT"
done

if ((DELETE_DATA)); then
  delete_if_exists bq show "$PROJECT:$DATASET" -- bq rm -r -f -d "$PROJECT:$DATASET"
elif exists bq show "$PROJECT:$DATASET"; then
  for sa in "$SA_INGEST" "$SA_ALERTS"; do
    if ((DRY_RUN)) || has_dataset_role roles/bigquery.dataEditor "$(sa_email "$sa")"; then
      act bq --project_id="$PROJECT" --location="$REGION" query --use_legacy_sql=false \
        "REVOKE \`roles/bigquery.dataEditor\` ON SCHEMA \`$PROJECT.$DATASET\` FROM \"serviceAccount:$(sa_email "$sa")\"" >/dev/null
    fi
  done
  note "dataset $PROJECT:$DATASET kept (--delete-data deletes it)"
fi

for sa in "$SA_INGEST" "$SA_ALERTS" "$SA_TRIGGER" "$SA_BUILD"; do
  delete_if_exists gcloud iam service-accounts describe "$(sa_email "$sa")" "$P" -- \
    gcloud iam service-accounts delete "$(sa_email "$sa")" "$P" --quiet
done
note "left in place: the enabled APIs, the build images (Artifact Registry gcf-artifacts) and source buckets (gcf-v2-*)"
