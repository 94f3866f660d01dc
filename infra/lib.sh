# shellcheck shell=bash
# Shared by infra/deploy, infra/local and infra/teardown: settings, the AWS CLI, stack outputs, messages.
# Sourced, not run. Nothing here prints a password: secrets go from the AWS CLI straight into curl's config.

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(dirname "$INFRA_DIR")
# the AWS CLI to run (tests point this at /usr/bin/aws)
AWS_CLI=${WIKIEDITS_INFRA_AWS_CLI:-aws}
SETTINGS_FILE=$INFRA_DIR/settings.env
# an endpoint override for every AWS call (an emulator such as moto_server); empty = AWS
ENDPOINT=
JAR=$PROJECT_DIR/target/camel-app.jar
LAKE_ZIP=$PROJECT_DIR/target/lambdas/wikiedits-lake-row.zip
DOCUMENT_ZIP=$PROJECT_DIR/target/lambdas/wikiedits-search-document.zip

# a failure inside $(...) stops the script too
shopt -s inherit_errexit

say() { printf '%s: %s\n' "$SCRIPT" "$*" >&2; }
die() { say "$*"; exit 1; }

load_settings() {
  [ -f "$SETTINGS_FILE" ] || die "no settings file $SETTINGS_FILE (--settings FILE)"
  # shellcheck disable=SC1090
  . "$SETTINGS_FILE"
  case "$WIKIEDITS_AWS_DELIVERY" in
    firehose|camel|firehose-direct) ;;
    *) die "WIKIEDITS_AWS_DELIVERY must be firehose, camel or firehose-direct, not '$WIKIEDITS_AWS_DELIVERY'" ;;
  esac
  command -v "$AWS_CLI" >/dev/null 2>&1 || die "the AWS CLI '$AWS_CLI' is not installed (https://aws.amazon.com/cli/, or apt-get install awscli)"
  ARTIFACT_STACK=$WIKIEDITS_INFRA_STACK-artifacts
}

# the AWS CLI with the region and the endpoint override
awsc() {
  "$AWS_CLI" --region "$WIKIEDITS_AWS_REGION" ${ENDPOINT:+--endpoint-url "$ENDPOINT"} "$@"
}

stack_exists() {
  awsc cloudformation describe-stacks --stack-name "$1" >/dev/null 2>&1
}

# creates or updates a stack and waits for it; "no updates" is success (idempotent). Parameters as KEY=VALUE.
# Plain create-stack/update-stack rather than change sets: moto's CloudFormation gives change-set stacks no outputs.
deploy_stack() { # name template [KEY=VALUE...]
  local name=$1 template=$2 params="[" sep="" status error
  shift 2
  for kv in "$@"; do
    params+="$sep{\"ParameterKey\": \"${kv%%=*}\", \"ParameterValue\": \"${kv#*=}\"}"
    sep=", "
  done
  params+="]"
  status=$(awsc cloudformation describe-stacks --stack-name "$name" --query 'Stacks[0].StackStatus' --output text 2>/dev/null || true)
  case "$status" in
    "")
      awsc cloudformation create-stack --stack-name "$name" --template-body "file://$template" \
        --capabilities CAPABILITY_IAM --parameters "$params" >/dev/null
      awsc cloudformation wait stack-create-complete --stack-name "$name" \
        || die "stack $name was not created: see its events (aws cloudformation describe-stack-events --stack-name $name), then infra/teardown"
      ;;
    *_IN_PROGRESS) die "stack $name is $status: wait until it is done, then run this again" ;;
    ROLLBACK_COMPLETE|ROLLBACK_FAILED|DELETE_FAILED)
      die "stack $name is $status (a failed first deploy): see its events, run infra/teardown, then this again" ;;
    *)
      if ! error=$(awsc cloudformation update-stack --stack-name "$name" --template-body "file://$template" \
          --capabilities CAPABILITY_IAM --parameters "$params" 2>&1 >/dev/null); then
        case "$error" in
          *"No updates are to be performed"*) return 0 ;;
          *) die "stack $name: $error" ;;
        esac
      fi
      awsc cloudformation wait stack-update-complete --stack-name "$name" \
        || die "stack $name was not updated: see its events (aws cloudformation describe-stack-events --stack-name $name)"
      ;;
  esac
}

# whether an Athena workgroup exists (listed, not GetWorkGroup: moto answers that for any name)
workgroup_exists() {
  [ "$(awsc athena list-work-groups --query "WorkGroups[?Name=='$1'].Name" --output text 2>/dev/null)" = "$1" ]
}

# an output of a stack, empty when the stack or the output does not exist
stack_output() {
  awsc cloudformation describe-stacks --stack-name "$1" \
    --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue" --output text 2>/dev/null | sed '/^None$/d' || true
}

# one field of a JSON secret ({"username": ..., "password": ...}; the generated values hold no quotes)
secret_field() {
  awsc secretsmanager get-secret-value --secret-id "$1" --query SecretString --output text \
    | sed -n "s/.*\"$2\": *\"\([^\"]*\)\".*/\1/p"
}

# empties a bucket if it exists (objects only: the stack's buckets are not versioned)
empty_bucket() {
  if [ -n "$1" ] && awsc s3api head-bucket --bucket "$1" >/dev/null 2>&1; then
    say "emptying s3://$1"
    awsc s3 rm "s3://$1" --recursive --only-show-errors
  fi
}

# the exact command that runs the app against what was created; the OpenSearch password is read at run time
print_app_command() { # opensearch_url lake_bucket [extra -D settings...]
  local url=$1 bucket=$2
  shift 2
  local lines=(
    "-Dwikiedits.mode=aws"
    "-Dwikiedits.aws.region=$WIKIEDITS_AWS_REGION"
    "-Dwikiedits.aws.delivery=$WIKIEDITS_AWS_DELIVERY"
  )
  [ "$WIKIEDITS_AWS_DELIVERY" != firehose-direct ] && lines+=("-Dwikiedits.kinesis.stream=$WIKIEDITS_KINESIS_STREAM")
  [ "$WIKIEDITS_AWS_DELIVERY" = firehose-direct ] && lines+=(
    "-Dwikiedits.firehose.lake-stream=$WIKIEDITS_FIREHOSE_LAKE_STREAM"
    "-Dwikiedits.firehose.index-stream=$WIKIEDITS_FIREHOSE_INDEX_STREAM")
  lines+=("-Dwikiedits.s3.bucket=$bucket"
    "-Dwikiedits.athena.workgroup=$WIKIEDITS_ATHENA_WORKGROUP"
    "-Dwikiedits.athena.database=$WIKIEDITS_ATHENA_DATABASE")
  [ "$WIKIEDITS_AWS_DELIVERY" = camel ] && [ -n "$url" ] && lines+=(
    "-Dwikiedits.opensearch.url=$url"
    "-Dwikiedits.opensearch.username=$WIKIEDITS_INFRA_OPENSEARCH_APP_USER")
  lines+=("$@")
  echo
  echo "Run the app against this stack:"
  echo
  if [ "$WIKIEDITS_AWS_DELIVERY" = camel ] && [ -n "$url" ]; then
    echo "  export WIKIEDITS_OPENSEARCH_PASSWORD=\"\$($AWS_CLI --region $WIKIEDITS_AWS_REGION secretsmanager get-secret-value --secret-id $WIKIEDITS_INFRA_STACK/opensearch-app --query SecretString --output text | sed -n 's/.*\"password\": *\"\\([^\"]*\\)\".*/\\1/p')\""
  fi
  printf '  java'
  printf ' \\\n    %s' "${lines[@]}"
  printf ' \\\n    -jar %s\n\n' "$JAR"
}
