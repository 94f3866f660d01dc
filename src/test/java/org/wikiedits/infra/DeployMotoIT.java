package org.wikiedits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikiedits.infra.InfraScripts.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wikiedits.query.LakeSql;
import org.wikiedits.testing.MotoServer;

/**
 * {@code infra/deploy} and {@code infra/teardown} against moto_server's CloudFormation, read back with
 * the AWS CLI. moto creates the Kinesis stream, buckets and bucket policies, IAM roles and policies,
 * Lambdas (with the uploaded zips) and log groups; it accepts but does not create the Firehose, Glue,
 * Athena, Secrets Manager and OpenSearch resources (InfraTemplateTest and CfnLintIT cover those, and
 * infra/local creates their emulated forms). moto's Athena workgroup is created by the test, so that
 * the deploy sends the view statement, which moto records without running it.
 */
class DeployMotoIT {

    private static final Path LAKE_ZIP = Path.of("target", "lambdas", "wikiedits-lake-row.zip");
    private static final Path DOCUMENT_ZIP = Path.of("target", "lambdas", "wikiedits-search-document.zip");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private static MotoServer moto;

    @BeforeAll
    static void startMoto() throws Exception {
        assertThat(LAKE_ZIP).as("built by package, before the integration tests").exists();
        assertThat(DOCUMENT_ZIP).exists();
        assertThat(Path.of("target", "camel-app.jar")).exists();
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void deployCreatesTheSecuredStreamBucketsRolesLambdasAndLogGroupsAgainWithoutChangesAndTeardownRemovesThem() throws Exception {
        Map<String, String> settings = settings("it-firehose", "firehose", "it-firehose-stream");
        aws(moto.url(), "athena", "create-work-group", "--name", "wikiedits");

        InfraScripts.Result first = deploy(settings);

        String lake = output("it-firehose", "LakeBucketName");
        assertThat(first.output()).contains("-Dwikiedits.aws.delivery=firehose", "-Dwikiedits.kinesis.stream=it-firehose-stream",
                "-Dwikiedits.s3.bucket=" + lake, "-jar ").contains("skipping the index template");
        assertThat(aws(moto.url(), "kinesis", "describe-stream-summary", "--stream-name", "it-firehose-stream")
                .at("/StreamDescriptionSummary/StreamStatus").asText()).isEqualTo("ACTIVE");
        for (String bucket : List.of(lake, output("it-firehose", "AthenaResultsBucketName"), output("it-firehose-artifacts",
                "ArtifactBucketName"))) {
            assertEncrypted(bucket);
        }
        for (String function : List.of("lake-row", "search-document")) {
            JsonNode configuration = aws(moto.url(), "lambda", "get-function-configuration", "--function-name", "it-firehose-" + function);
            assertThat(configuration.at("/Runtime").asText()).isEqualTo("java21");
            assertThat(configuration.at("/Handler").asText()).startsWith("org.wikiedits.lambda.");
            Path zip = function.equals("lake-row") ? LAKE_ZIP : DOCUMENT_ZIP;
            assertThat(configuration.at("/CodeSha256").asText()).as("the built zip").isEqualTo(sha256(zip));
            JsonNode group = aws(moto.url(), "logs", "describe-log-groups", "--log-group-name-prefix", "/aws/lambda/it-firehose-" + function);
            assertThat(group.at("/logGroups/0/retentionInDays").asInt()).isEqualTo(14);
        }
        List<String> roles = roles("it-firehose-");
        assertThat(roles).anyMatch(r -> r.contains("FirehoseLakeRole")).anyMatch(r -> r.contains("FirehoseIndexRole"))
                .anyMatch(r -> r.contains("LakeRowFunctionRole"));
        String readPolicy = aws(moto.url(), "iam", "get-role-policy", "--role-name", roles.stream()
                .filter(r -> r.contains("FirehoseLakeRole")).findFirst().orElseThrow(), "--policy-name", "read-stream")
                .at("/PolicyDocument").toString();
        assertThat(readPolicy).contains("kinesis:GetRecords", "arn:aws:kinesis:us-east-1:" + MotoServer.ACCOUNT + ":stream/it-firehose-stream")
                .doesNotContain("\"*\"");
        // wikiedits_all as well (the named queries read it), since moto's Glue has no such table yet
        assertThat(viewStatements()).containsExactlyInAnyOrder(LakeSql.athenaCreateView("wikiedits", LakeSql.TABLE),
                LakeSql.athenaCreateAllView("wikiedits"));

        String stackId = stackId("it-firehose");
        // as after a compact --parquet: kept by the next deploy (moto's CloudFormation makes no Glue objects and its Athena
        // runs no SQL, so the database and the view are put into moto's Glue here)
        aws(moto.url(), "glue", "create-database", "--database-input", "{\"Name\":\"wikiedits\"}");
        aws(moto.url(), "glue", "create-table", "--database-name", "wikiedits", "--table-input",
                "{\"Name\":\"wikiedits_all\",\"TableType\":\"VIRTUAL_VIEW\"}");
        InfraScripts.Result second = deploy(settings);
        assertThat(stackId("it-firehose")).as("the same stack, updated in place").isEqualTo(stackId);
        assertThat(viewStatements()).as("the second deploy replaces wikiedits_v, keeps the compaction's wikiedits_all")
                .containsExactlyInAnyOrder(LakeSql.athenaCreateView("wikiedits", LakeSql.TABLE), LakeSql.athenaCreateAllView("wikiedits"),
                        LakeSql.athenaCreateView("wikiedits", LakeSql.TABLE));
        assertThat(output("it-firehose", "LakeBucketName")).isEqualTo(lake);
        assertThat(second.output()).contains("-Dwikiedits.s3.bucket=" + lake);

        InfraScripts.Result unconfirmed = InfraScripts.script("teardown", List.of("--endpoint-url", moto.url()), settings,
                SCRIPT_TIMEOUT);
        assertThat(unconfirmed.exitCode()).isNotZero();
        assertThat(unconfirmed.output()).contains("--yes");
        assertThat(stackId("it-firehose")).as("nothing deleted without confirmation").isEqualTo(stackId);

        InfraScripts.script("teardown", List.of("--yes", "--endpoint-url", moto.url()), settings, SCRIPT_TIMEOUT).expectSuccess("teardown");

        assertThat(aws(moto.url(), "s3api", "list-buckets").at("/Buckets").findValuesAsText("Name"))
                .noneMatch(b -> b.startsWith("it-firehose"));
        assertThat(aws(moto.url(), "lambda", "list-functions").at("/Functions").findValuesAsText("FunctionName"))
                .noneMatch(f -> f.startsWith("it-firehose"));
        assertThat(aws(moto.url(), "kinesis", "list-streams").at("/StreamNames").toString()).doesNotContain("it-firehose-stream");
        assertThat(aws(moto.url(), "logs", "describe-log-groups").at("/logGroups").findValuesAsText("logGroupName"))
                .noneMatch(g -> g.contains("it-firehose"));
        assertThat(roles("it-firehose-")).isEmpty();
        // moto's CloudFormation does not delete AWS::IAM::ManagedPolicy (no delete handler); AWS's does
        assertThat(InfraScripts.script("teardown", List.of("--yes", "--endpoint-url", moto.url()), settings, SCRIPT_TIMEOUT).expectSuccess("teardown again")
                .output()).contains("nothing to delete");
    }

    @Test
    void firehoseDirectHasNoStreamAndCamelDeliveryNeitherFirehoseNorLambdasButTheConsumerPolicy() throws Exception {
        Map<String, String> direct = settings("it-direct", "firehose-direct", "it-direct-stream");
        Map<String, String> camel = settings("it-camel", "camel", "it-camel-stream");

        InfraScripts.Result directDeploy = deploy(direct);
        InfraScripts.Result camelDeploy = deploy(camel);

        String streamNames = aws(moto.url(), "kinesis", "list-streams").at("/StreamNames").toString();
        assertThat(streamNames).doesNotContain("it-direct-stream").contains("it-camel-stream");
        List<String> functions = aws(moto.url(), "lambda", "list-functions").at("/Functions").findValuesAsText("FunctionName");
        assertThat(functions).contains("it-direct-lake-row", "it-direct-search-document").noneMatch(f -> f.startsWith("it-camel"));
        assertThat(roles("it-camel-")).noneMatch(r -> r.contains("Firehose"));
        assertThat(policy(output("it-direct", "AppDeliveryPolicyArn"))).contains("firehose:PutRecordBatch",
                "deliverystream/wikiedits-lake").doesNotContain("kinesis:");
        assertThat(policy(output("it-camel", "AppConsumerPolicyArn"))).contains("kinesis:GetRecords", "s3:PutObject");
        assertThat(directDeploy.output()).contains("-Dwikiedits.firehose.lake-stream=wikiedits-lake").doesNotContain("kinesis.stream");
        assertThat(camelDeploy.output()).contains("-Dwikiedits.aws.delivery=camel", "-Dwikiedits.kinesis.stream=it-camel-stream");

        // in reverse order of creation (moto 5.2 leaves the camel stack's stream behind the other way round)
        InfraScripts.script("teardown", List.of("--yes", "--endpoint-url", moto.url()), camel, SCRIPT_TIMEOUT).expectSuccess("teardown");
        InfraScripts.script("teardown", List.of("--yes", "--endpoint-url", moto.url()), direct, SCRIPT_TIMEOUT).expectSuccess("teardown");
        assertThat(aws(moto.url(), "kinesis", "list-streams").at("/StreamNames").toString()).as(moto.log().lines()
                .filter(l -> !l.startsWith("127.0.0.1")).reduce("", (a, b) -> a + "\n" + b)).doesNotContain("it-camel-stream");
        assertThat(aws(moto.url(), "lambda", "list-functions").at("/Functions").findValuesAsText("FunctionName"))
                .noneMatch(f -> f.startsWith("it-direct"));
    }

    @Test
    void theHandlersTheTemplateNamesAreInTheBuiltZipsAsJava17Bytecode() throws Exception {
        InfraTemplate template = InfraTemplate.main();
        Map<String, Path> zips = Map.of("LakeRowFunction", LAKE_ZIP, "SearchDocumentFunction", DOCUMENT_ZIP);
        for (Map.Entry<String, Path> function : zips.entrySet()) {
            String handler = (String) template.properties(function.getKey()).get("Handler");
            String className = handler.substring(0, handler.indexOf("::"));
            String method = handler.substring(handler.indexOf("::") + 2);
            try (ZipFile zip = new ZipFile(function.getValue().toFile())) {
                ZipEntry entry = zip.getEntry(className.replace('.', '/') + ".class");
                assertThat(entry).as(className + " in " + function.getValue()).isNotNull();
                try (InputStream in = zip.getInputStream(entry); DataInputStream data = new DataInputStream(in)) {
                    assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
                    data.readUnsignedShort();
                    assertThat(data.readUnsignedShort()).as("class file major version (61 = Java 17)").isEqualTo(61);
                }
            }
            assertThat(Class.forName(className).getMethods()).anyMatch(m -> m.getName().equals(method));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, String> settings(String stack, String delivery, String stream) {
        Map<String, String> settings = new HashMap<>();
        settings.put("WIKIEDITS_INFRA_STACK", stack);
        settings.put("WIKIEDITS_AWS_DELIVERY", delivery);
        settings.put("WIKIEDITS_KINESIS_STREAM", stream);
        settings.put("WIKIEDITS_INFRA_OPENSEARCH_DOMAIN", stack);
        return settings;
    }

    private InfraScripts.Result deploy(Map<String, String> settings) throws Exception {
        return InfraScripts.script("deploy", List.of("--endpoint-url", moto.url()), settings, SCRIPT_TIMEOUT).expectSuccess("deploy");
    }

    private static String output(String stack, String key) throws Exception {
        for (JsonNode output : aws(moto.url(), "cloudformation", "describe-stacks", "--stack-name", stack).at("/Stacks/0/Outputs")) {
            if (output.at("/OutputKey").asText().equals(key)) {
                return output.at("/OutputValue").asText();
            }
        }
        throw new AssertionError("stack " + stack + " has no output " + key);
    }

    private static String stackId(String stack) throws Exception {
        return aws(moto.url(), "cloudformation", "describe-stacks", "--stack-name", stack).at("/Stacks/0/StackId").asText();
    }

    private static List<String> roles(String prefix) throws Exception {
        return aws(moto.url(), "iam", "list-roles").at("/Roles").findValuesAsText("RoleName").stream()
                .filter(r -> r.startsWith(prefix)).toList();
    }

    private static String policy(String arn) throws Exception {
        String version = aws(moto.url(), "iam", "get-policy", "--policy-arn", arn).at("/Policy/DefaultVersionId").asText();
        return aws(moto.url(), "iam", "get-policy-version", "--policy-arn", arn, "--version-id", version)
                .at("/PolicyVersion/Document").toString();
    }

    private static void assertEncrypted(String bucket) throws Exception {
        assertThat(aws(moto.url(), "s3api", "get-bucket-encryption", "--bucket", bucket).toString()).as(bucket).contains("AES256");
        // moto's CloudFormation applies neither PublicAccessBlockConfiguration nor AWS::S3::BucketPolicy;
        // InfraTemplateTest checks that every bucket has both
    }

    private static List<String> viewStatements() throws Exception {
        List<String> statements = new ArrayList<>();
        for (JsonNode id : aws(moto.url(), "athena", "list-query-executions", "--work-group", "wikiedits").at("/QueryExecutionIds")) {
            statements.add(aws(moto.url(), "athena", "get-query-execution", "--query-execution-id", id.asText())
                    .at("/QueryExecution/Query").asText());
        }
        return statements;
    }

    private static String sha256(Path file) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
