# shellcheck shell=bash
# Shared by deploy.sh and teardown.sh: resource names, argument checks, and the three ways
# a command is run (act: changes something; check: does it exist; read_value: what is it).
# Under --dry-run nothing runs: every command is printed, and the project is assumed empty.

FAULTLINE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HELPER="$FAULTLINE_ROOT/scripts/deploy/helper.mjs"

# Names of everything deploy.sh creates (README: "Deploy to Google Cloud").
TOPIC_LOGS=faultline-log-entries
TOPIC_ALERTS=faultline-alerts
TOPIC_DEAD=faultline-dead-letter
TOPIC_TICK=faultline-evaluate-alerts-tick
SUB_DEAD=faultline-dead-letter-keep
SINK=faultline-startup-logs
SECRET_WEBHOOK=faultline-webhook-url
FN_INGEST=faultline-ingest
FN_ALERTS=faultline-evaluate-alerts
JOB_ALERTS=faultline-evaluate-alerts
SA_INGEST=faultline-ingest
SA_ALERTS=faultline-alerts
SA_TRIGGER=faultline-trigger
SA_BUILD=faultline-build
MAX_DELIVERY_ATTEMPTS=10

DRY_RUN=0
export CLOUDSDK_CORE_DISABLE_PROMPTS=1

# Commands are printed on fd 3 (stdout) so that read_value can print under $(...).
exec 3>&1

die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 2
}

note() { printf '# %s\n' "$*" >&3; }

# Shell-quotes an argument only when it needs it, so printed commands can be pasted.
quote_arg() {
  local a=$1
  if [[ $a =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
    printf '%s' "$a"
  else
    printf "'%s'" "${a//\'/\'\\\'\'}"
  fi
}

show_cmd() {
  local line="" a
  for a in "$@"; do line+="$(quote_arg "$a") "; done
  printf '+ %s\n' "${line% }" >&3
}

# A command that changes something: printed, and run unless --dry-run.
act() {
  show_cmd "$@"
  if ((DRY_RUN)); then return 0; fi
  "$@"
}

# IAM is eventually consistent: a grant to a service account created seconds ago can be
# refused for a while. Grants are tried again before the run gives up.
RETRY_DELAY_S=${FAULTLINE_DEPLOY_RETRY_DELAY_S:-15}
act_retrying() {
  local attempt
  for attempt in 1 2 3 4; do
    if act "$@"; then return 0; fi
    if ((attempt == 4)); then return 1; fi
    note "failed; trying again in ${RETRY_DELAY_S}s (IAM changes take a moment to propagate)"
    sleep "$RETRY_DELAY_S"
  done
}

# Does it exist? Run quietly; under --dry-run printed and answered "no".
check() {
  if ((DRY_RUN)); then
    show_cmd "$@"
    return 1
  fi
  "$@" >/dev/null 2>&1
}

# A read whose output is needed; under --dry-run printed, and PLACEHOLDER stands in for it.
read_value() {
  local placeholder=$1
  shift
  if ((DRY_RUN)); then
    show_cmd "$@"
    printf '%s' "$placeholder"
    return 0
  fi
  "$@"
}

# probe VAR COMMAND...: like check, and keeps what the command printed in VAR.
probe() {
  local __var=$1 __out
  shift
  printf -v "$__var" '%s' ""
  if ((DRY_RUN)); then
    show_cmd "$@"
    return 1
  fi
  __out=$("$@" 2>/dev/null) || return 1
  printf -v "$__var" '%s' "$__out"
}

helper() { node "$HELPER" "$@"; }

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required (see README: Deploy to Google Cloud)"
  done
}

validate_names() {
  [[ -n ${PROJECT:-} ]] || die "--project is required (--help for usage)"
  [[ -n ${REGION:-} ]] || die "--region is required (--help for usage)"
  [[ $PROJECT =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || die "--project '$PROJECT' is not a project id"
  [[ $REGION =~ ^[a-z]+-[a-z]+[0-9]+$ ]] || die "--region '$REGION' is not a region such as europe-west1"
  [[ $DATASET =~ ^[A-Za-z_][A-Za-z0-9_]{0,1023}$ ]] || die "--dataset '$DATASET' is not a BigQuery dataset name"
}

sa_email() { printf '%s@%s.iam.gserviceaccount.com' "$1" "$PROJECT"; }

# The bindings of one resource's IAM policy, as "ROLE MEMBER" lines. Kept for the next
# call on the same resource: grants are grouped by resource, so each policy is read once.
POLICY_KEY=""
POLICY_LINES=""
load_bindings() {
  local key="$*" group=$1 resource=$2 policy
  shift 2
  if [[ $key == "$POLICY_KEY" ]]; then return 0; fi
  local -a words
  read -r -a words <<<"$group"
  policy=$(read_value '{}' gcloud "${words[@]}" get-iam-policy "$resource" "$@" --format=json)
  POLICY_LINES=""
  if ! ((DRY_RUN)); then POLICY_LINES=$(helper bindings <<<"$policy"); fi
  POLICY_KEY=$key
}

# ensure_binding ROLE MEMBER GROUP RESOURCE [FLAG...]: grant ROLE to MEMBER on the resource
# of the gcloud command group GROUP ("pubsub topics", "projects", ...) unless it has it.
ensure_binding() {
  local role=$1 member=$2 group=$3 resource=$4
  shift 4
  load_bindings "$group" "$resource" "$@"
  if grep -qxF "$role $member" <<<"$POLICY_LINES"; then return 0; fi
  local -a words extra=()
  read -r -a words <<<"$group"
  if [[ $group == projects ]]; then extra=(--condition=None); fi
  act_retrying gcloud "${words[@]}" add-iam-policy-binding "$resource" "$@" --member="$member" --role="$role" "${extra[@]}" >/dev/null
}

# remove_binding ROLE MEMBER GROUP RESOURCE [FLAG...]: the reverse, for teardown.sh, whose
# dry run assumes the binding exists.
remove_binding() {
  local role=$1 member=$2 group=$3 resource=$4
  shift 4
  load_bindings "$group" "$resource" "$@"
  if ! ((DRY_RUN)) && ! grep -qxF "$role $member" <<<"$POLICY_LINES"; then return 0; fi
  local -a words extra=()
  read -r -a words <<<"$group"
  if [[ $group == projects ]]; then extra=(--condition=None); fi
  act gcloud "${words[@]}" remove-iam-policy-binding "$resource" "$@" --member="$member" --role="$role" "${extra[@]}" >/dev/null
}

# Dataset grants as "ROLE EMAIL" lines (legacy role names translated), read once per run.
DATASET_ACCESS=""
DATASET_ACCESS_READ=0
load_dataset_access() {
  if ((DATASET_ACCESS_READ)); then return 0; fi
  local dataset
  dataset=$(read_value '{}' bq show --format=prettyjson "$PROJECT:$DATASET")
  if ! ((DRY_RUN)); then DATASET_ACCESS=$(helper dataset-access <<<"$dataset"); fi
  DATASET_ACCESS_READ=1
}

has_dataset_role() {
  load_dataset_access
  grep -qxF "$1 $2" <<<"$DATASET_ACCESS"
}
