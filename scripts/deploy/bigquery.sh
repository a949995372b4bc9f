# shellcheck shell=bash
# The dataset, the tables of schemas/bigquery/ (partitioning, clustering and expiration from
# schemas/tables.json) and the views of sql/views/ in dependency order.

ensure_bigquery() {
  if ! check bq show --format=prettyjson "$PROJECT:$DATASET"; then
    act bq --project_id="$PROJECT" --location="$REGION" mk --dataset \
      --description="Faultline: classified startup log entries" "$PROJECT:$DATASET"
  fi
  local rows name schema field type expiration clustering description
  rows=$(helper tables "$FAULTLINE_ROOT")
  while IFS=$'\x1f' read -r -u 4 name schema field type expiration clustering description; do
    [[ -n $name ]] && ensure_table "$name" "$schema" "$field" "$type" "$expiration" "$clustering" "$description"
  done 4<<<"$rows"
  ensure_views
  return 0
}

ensure_table() {
  local name=$1 schema=$2 field=$3 type=$4 expiration=$5 clustering=$6 description=$7 table=""
  if probe table bq show --format=prettyjson "$PROJECT:$DATASET.$name"; then
    # Columns added to the schema file are added to the table; anything else is a migration.
    if [[ -n $(helper missing-columns "$schema" <<<"$table") ]]; then
      act bq update "$PROJECT:$DATASET.$name" "$schema"
    fi
    return 0
  fi
  local -a args=(bq mk --table --schema="$schema" --description="$description")
  if [[ -n $field ]]; then args+=(--time_partitioning_field="$field" --time_partitioning_type="$type"); fi
  if [[ -n $expiration ]]; then args+=(--time_partitioning_expiration="$expiration"); fi
  if [[ -n $clustering ]]; then args+=(--clustering_fields="$clustering"); fi
  act "${args[@]}" "$PROJECT:$DATASET.$name"
}

# Views: look at all, then create the missing and update the changed ones in dependency order.
ensure_views() {
  local rows name file description view=""
  rows=$(helper views "$FAULTLINE_ROOT" "$PROJECT" "$DATASET" "$WORK/views")
  mkdir -p "$WORK/current"
  while IFS=$'\x1f' read -r -u 4 name file description; do
    if [[ -n $name ]] && probe view bq show --format=prettyjson "$PROJECT:$DATASET.$name"; then
      printf '%s' "$view" >"$WORK/current/$name.json"
    fi
  done 4<<<"$rows"
  local changed
  changed=$(helper changed-views "$WORK/views" "$WORK/current")
  while IFS=$'\x1f' read -r -u 4 name file description; do
    [[ -n $name ]] || continue
    if [[ ! -f $WORK/current/$name.json ]]; then
      act bq mk --use_legacy_sql=false --view="$(<"$file")" --description="$description" "$PROJECT:$DATASET.$name"
    elif grep -qxF "$name" <<<"$changed"; then
      act bq update --use_legacy_sql=false --view="$(<"$file")" "$PROJECT:$DATASET.$name"
    fi
  done 4<<<"$rows"
}

# Dataset-level roles through BigQuery's GRANT statement (bq has no dataset IAM command).
ensure_dataset_role() {
  local role=$1 email=$2
  if has_dataset_role "$role" "$email"; then return 0; fi
  act_retrying bq --project_id="$PROJECT" --location="$REGION" query --use_legacy_sql=false \
    "GRANT \`$role\` ON SCHEMA \`$PROJECT.$DATASET\` TO \"serviceAccount:$email\"" >/dev/null
}
