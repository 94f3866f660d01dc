package org.wikiedits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikiedits.infra.InfraTemplate.at;
import static org.wikiedits.infra.InfraTemplate.branches;
import static org.wikiedits.infra.InfraTemplate.list;
import static org.wikiedits.infra.InfraTemplate.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.wikiedits.query.AthenaDdl;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.transform.LakeColumn;
import org.wikiedits.transform.SearchDocument;

/**
 * The CloudFormation templates of {@code infra/} against the project's contracts and security rules,
 * read as committed (they deploy exactly as they are). cfn-lint checks them against AWS's schemas
 * ({@code CfnLintIT}); this test checks what a schema cannot know.
 */
class InfraTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InfraTemplate TEMPLATE = InfraTemplate.main();
    /** Resources allowed an Allow statement for any principal, with the reason the template must give in a comment. */
    private static final Map<String, String> PRINCIPAL_EXCEPTIONS = Map.of(
            "SearchDomain", "fine-grained access control authenticates every request");
    /** Pseudo parameters that only say where (not which resource); AWS::StackName does name this stack's resources. */
    private static final Set<String> LOCATION_PSEUDO_PARAMETERS = Set.of("AWS::Partition", "AWS::Region", "AWS::AccountId",
            "AWS::URLSuffix");
    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([^}!]+)}");

    // ------------------------------------------------------------------ the lake contract

    @Test
    void glueColumnsAreTheLakeContractsColumnsInOrderAllStrings() {
        List<Object> columns = list(at(TEMPLATE.properties("LakeTable"), "TableInput", "StorageDescriptor", "Columns"));
        List<String> names = columns.stream().map(c -> (String) map(c).get("Name")).toList();
        List<String> contract = java.util.Arrays.stream(LakeColumn.values()).map(LakeColumn::columnName).toList();
        assertThat(names).isEqualTo(contract);
        assertThat(columns).allSatisfy(c -> assertThat(map(c).get("Type")).isEqualTo("string"));
    }

    @Test
    void theGlueTableIsTheTableInputTheLakeContractGivesForTheLakeBucket() throws Exception {
        Map<String, Object> tableInput = map(at(TEMPLATE.properties("LakeTable"), "TableInput"));
        JsonNode committed = JSON.valueToTree(resolve(tableInput, Map.of("LakeBucket", "BUCKET",
                "GlueTable", (String) map(TEMPLATE.parameters().get("GlueTable")).get("Default"))));

        JsonNode contract = JSON.readTree(AthenaDdl.run(List.of("glue-table", LakeSql.TABLE, "s3://BUCKET/wikiedits/")));

        assertThat(committed).isEqualTo(contract);
        assertThat(at(tableInput, "Parameters", "projection.enabled")).as("partition projection: no crawler").isEqualTo("true");
        assertThat(at(tableInput, "StorageDescriptor", "SerdeInfo", "Parameters", "escapeChar")).isEqualTo("\u0000");
    }

    @Test
    void theNamedQueriesAreTheProjectsNamedQueriesWithTheDefaultLimit() {
        Map<String, String> committed = new LinkedHashMap<>();
        for (String id : TEMPLATE.resourcesOfType("AWS::Athena::NamedQuery")) {
            Map<String, Object> query = TEMPLATE.properties(id);
            committed.put((String) query.get("Name"), (String) query.get("QueryString"));
            assertThat(query.get("WorkGroup")).isEqualTo(Map.of("Ref", "Workgroup"));
            assertThat(query.get("Database")).isEqualTo(Map.of("Ref", "Database"));
        }
        Map<String, String> project = new LinkedHashMap<>();
        NamedQueries.all().forEach(q -> project.put(q.name(), q.sql().replace("{limit}", Integer.toString(NamedQueries.DEFAULT_LIMIT))));
        assertThat(committed).isEqualTo(project);
    }

    @Test
    void theOptionalQuickSightDataSetReadsTheTypedViewsColumnsAndTheCrawlerSkipsTheErrorPrefixes() throws IOException {
        InfraTemplate quickSight = InfraTemplate.every().stream()
                .filter(t -> t.file().getFileName().toString().equals("optional-quicksight.yaml")).findFirst().orElseThrow();
        Map<String, Object> table = map(at(quickSight.properties("Events"), "PhysicalTableMap", "view", "RelationalTable"));
        assertThat(table.get("Name")).isEqualTo(LakeSql.VIEW);
        Map<String, String> columns = new LinkedHashMap<>();
        list(table.get("InputColumns")).forEach(c -> columns.put((String) map(c).get("Name"), (String) map(c).get("Type")));
        Map<String, String> view = new LinkedHashMap<>();
        for (LakeColumn column : LakeColumn.values()) {
            view.put(column.columnName(), switch (column.type()) {
                case STRING -> "STRING";
                case TIMESTAMP -> "DATETIME";
                case BIGINT, INT -> "INTEGER";
                case BOOLEAN -> "BOOLEAN";
            });
        }
        LakeSql.PARTITION_COLUMNS.forEach(p -> view.put(p, "STRING"));
        assertThat(columns).containsExactlyEntriesOf(view);
        assertThat(quickSight.properties("Events").get("ImportMode")).isEqualTo("SPICE");
        assertThat(at(quickSight.properties("DailyRefresh"), "Schedule", "ScheduleFrequency", "Interval")).isEqualTo("DAILY");

        InfraTemplate crawler = InfraTemplate.every().stream()
                .filter(t -> t.file().getFileName().toString().equals("optional-crawler.yaml")).findFirst().orElseThrow();
        Object target = list(at(crawler.properties("Crawler"), "Targets", "S3Targets")).get(0);
        assertThat(list(map(target).get("Exclusions"))).contains("errors/**");
        assertThat(at(crawler.properties("Crawler"), "Schedule", "ScheduleExpression")).isEqualTo(Map.of("Ref", "Schedule"));
    }

    // ------------------------------------------------------------------ Firehose as lambdas/README.md states

    @Test
    void theLakeStreamPartitionsByTheLambdasKeysWithOneLambdaProcessorAndNoAppendedDelimiter() throws IOException {
        String readme = Files.readString(Path.of("lambdas", "README.md"), StandardCharsets.UTF_8);
        Map<String, Object> s3 = map(TEMPLATE.properties("LakeDeliveryStream").get("ExtendedS3DestinationConfiguration"));

        assertThat(readme).contains("`Prefix = " + s3.get("Prefix") + "`");
        assertThat(s3.get("Prefix")).isEqualTo("wikiedits/dt=!{partitionKeyFromLambda:dt}/hour=!{partitionKeyFromLambda:hour}/");
        assertThat((String) s3.get("ErrorOutputPrefix")).startsWith("errors/").contains("!{firehose:error-output-type}");
        assertThat(at(s3, "DynamicPartitioningConfiguration", "Enabled")).isEqualTo(true);
        assertThat(s3.get("CompressionFormat")).isEqualTo("UNCOMPRESSED");
        assertThat(s3.get("FileExtension")).as("the DuckDB glob and compact read *.csv").isEqualTo(".csv");
        assertOneLambdaProcessor(s3, "LakeRowFunction");
        Map<String, Object> buffering = map(s3.get("BufferingHints"));
        assertThat(buffering.get("SizeInMBs")).isEqualTo(Map.of("Ref", "LakeBufferMB"));
        assertThat(map(TEMPLATE.parameters().get("LakeBufferMB")).get("MinValue")).as("dynamic partitioning needs 64 MB").isEqualTo(64);
    }

    @Test
    void theIndexStreamWritesTheWikieditsIndexWithoutBufferingAndBacksUpFailedDocuments() {
        Map<String, Object> os = map(TEMPLATE.properties("IndexDeliveryStream").get("AmazonopensearchserviceDestinationConfiguration"));

        assertThat(os.get("IndexName")).isEqualTo(SearchDocument.INDEX);
        assertThat(os.get("IndexRotationPeriod")).isEqualTo("NoRotation");
        assertThat(at(os, "BufferingHints", "IntervalInSeconds")).isEqualTo(0);
        assertThat(os.get("S3BackupMode")).isEqualTo("FailedDocumentsOnly");
        assertThat((String) at(os, "S3Configuration", "Prefix")).startsWith("errors/");
        assertOneLambdaProcessor(os, "SearchDocumentFunction");
    }

    @Test
    void bothStreamsReadTheKinesisStreamForFirehoseDeliveryAndTakeDirectPutsOtherwise() {
        for (String id : List.of("LakeDeliveryStream", "IndexDeliveryStream")) {
            Map<String, Object> stream = TEMPLATE.properties(id);
            assertThat(stream.get("DeliveryStreamType"))
                    .isEqualTo(Map.of("Fn::If", List.of("FirehoseReadsKinesis", "KinesisStreamAsSource", "DirectPut")));
            assertThat(branches(stream.get("KinesisStreamSourceConfiguration")).get(0))
                    .satisfies(source -> assertThat(map(source).get("KinesisStreamARN")).isEqualTo(Map.of("Fn::GetAtt", List.of("Stream", "Arn"))));
            assertThat(TEMPLATE.resource(id).get("Condition")).isEqualTo("UseFirehose");
        }
    }

    @Test
    void theLakeErrorPrefixesExpireButTheIndexFailuresAreKeptUnlessTheirOwnRetentionIsSet() {
        List<Object> rules = list(at(TEMPLATE.properties("LakeBucket"), "LifecycleConfiguration", "Rules"));
        String indexFailed = (String) at(TEMPLATE.properties("IndexDeliveryStream"),
                "AmazonopensearchserviceDestinationConfiguration", "S3Configuration", "Prefix");
        assertThat(indexFailed).isEqualTo("errors/index-failed/");
        assertThat(rules).anySatisfy(rule -> {
            assertThat(map(rule).get("Prefix")).isEqualTo("errors/lake/");
            assertThat(map(rule).get("ExpirationInDays")).isEqualTo(Map.of("Ref", "ErrorRetentionDays"));
        });
        // what OpenSearch refused is replayed from there (replay-dead-letters --from s3://...): no rule that
        // always applies may expire it; only its own rule, present when IndexFailedRetentionDays is not 0
        for (Object rule : rules) {
            for (Object form : branches(rule)) {
                if (form instanceof Map<?, ?> m && m.get("Prefix") instanceof String prefix && indexFailed.startsWith(prefix)) {
                    assertThat(rule).as("the rule for " + prefix + " applies only when IndexFailedRetentionDays is set")
                            .isEqualTo(Map.of("Fn::If", List.of("ExpireIndexFailures", form, Map.of("Ref", "AWS::NoValue"))));
                    assertThat(map(form).get("ExpirationInDays")).isEqualTo(Map.of("Ref", "IndexFailedRetentionDays"));
                }
            }
        }
        assertThat(map(TEMPLATE.parameters().get("IndexFailedRetentionDays")).get("Default")).as("kept by default").isEqualTo(0);
    }

    @Test
    void anAlarmGoesOffWhenFirehoseWritesRefusedDocumentsUnderTheIndexFailedPrefix() {
        assertThat(TEMPLATE.properties("LakeBucket").get("MetricsConfigurations")).as("a request-metrics filter, with Firehose")
                .isEqualTo(Map.of("Fn::If", List.of("UseFirehose",
                        List.of(Map.of("Id", "index-failed", "Prefix", "errors/index-failed/")), Map.of("Ref", "AWS::NoValue"))));
        Map<String, Object> alarm = TEMPLATE.properties("IndexFailuresAlarm");
        assertThat(TEMPLATE.resource("IndexFailuresAlarm").get("Condition")).isEqualTo("UseFirehose");
        assertThat(alarm.get("Namespace")).isEqualTo("AWS/S3");
        assertThat(alarm.get("MetricName")).isEqualTo("PutRequests");
        assertThat(list(alarm.get("Dimensions"))).containsExactlyInAnyOrder(
                Map.of("Name", "BucketName", "Value", Map.of("Ref", "LakeBucket")),
                Map.of("Name", "FilterId", "Value", "index-failed"));
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.get("Threshold")).isEqualTo(0);
        assertThat(alarm.get("TreatMissingData")).isEqualTo("notBreaching");
    }

    @Test
    void theLambdasRunJava21ByDefault() {
        Map<String, Object> runtime = map(TEMPLATE.parameters().get("LambdaRuntime"));
        assertThat(runtime.get("Default")).isEqualTo("java21");
        assertThat(list(runtime.get("AllowedValues"))).doesNotContain("java17");
        for (String function : TEMPLATE.resourcesOfType("AWS::Lambda::Function")) {
            assertThat(TEMPLATE.properties(function).get("Runtime")).isEqualTo(Map.of("Ref", "LambdaRuntime"));
            assertThat(TEMPLATE.resource(function).get("DependsOn")).as("its log group, with retention, exists first")
                    .isEqualTo(function.replace("Function", "LogGroup"));
            assertThat(TEMPLATE.properties(function.replace("Function", "LogGroup")).get("RetentionInDays"))
                    .isEqualTo(Map.of("Ref", "LogRetentionDays"));
        }
    }

    // ------------------------------------------------------------------ security

    @Test
    void everyAllowStatementIsScopedToResourceArnsOutsideTheCommentedExceptions() throws IOException {
        List<String> checked = new ArrayList<>();
        for (InfraTemplate template : InfraTemplate.every()) {
            template.resources().forEach((id, resource) -> InfraTemplate.eachMap(resource, node -> {
                for (String key : List.of("PolicyDocument", "AccessPolicies")) {
                    if (node.containsKey(key)) {
                        for (Object document : branches(node.get(key))) {
                            for (Object statement : list(map(document).get("Statement"))) {
                                branches(statement).stream().filter(Map.class::isInstance)
                                        .filter(s -> !Map.of("Ref", "AWS::NoValue").equals(s))
                                        .forEach(s -> checkStatement(template, id, map(s)));
                                checked.add(id);
                            }
                        }
                    }
                }
            }));
        }
        assertThat(checked).as("statements checked").hasSizeGreaterThan(20)
                .contains("FirehoseLakeRole", "FirehoseIndexRole", "AppPolicy", "AppDeliveryPolicy", "SearchDomain", "LakeBucketTlsOnly",
                        "ArtifactBucketTlsOnly", "CrawlerRole");
    }

    private static void checkStatement(InfraTemplate template, String resource, Map<String, Object> statement) {
        String where = template.file().getFileName() + " " + resource + " " + statement.getOrDefault("Sid", "");
        if ("Deny".equals(statement.get("Effect"))) {
            return; // a Deny for everyone ("*") narrows; it grants nothing
        }
        assertThat(statement.get("Effect")).as(where).isEqualTo("Allow");
        boolean exception = PRINCIPAL_EXCEPTIONS.containsKey(resource);
        if (statement.containsKey("Principal")) {
            assertThat(exception).as(where + ": an Allow for any principal outside the exceptions").isTrue();
            assertThat(template.resourceText(resource)).as(where + ": the exception is commented")
                    .containsIgnoringCase("exception").contains(PRINCIPAL_EXCEPTIONS.get(resource));
        }
        for (Object action : list(statement.get("Action"))) {
            assertThat((String) action).as(where + " action").isNotEqualTo("*").doesNotEndWith(":*");
            if (((String) action).contains("*")) {
                assertThat(exception).as(where + ": wildcard action " + action + " outside the exceptions").isTrue();
            }
        }
        assertThat(list(statement.get("Resource"))).as(where + " resources").isNotEmpty()
                .allSatisfy(r -> branches(r).forEach(form -> assertScoped(where, form)));
    }

    /** A resource is a Ref/GetAtt, or an ARN whose every wildcard follows a reference to a named resource. */
    private static void assertScoped(String where, Object resource) {
        if (resource instanceof Map<?, ?> m && (m.containsKey("Ref") || m.containsKey("Fn::GetAtt"))) {
            return;
        }
        String arn = resource instanceof Map<?, ?> m ? (String) m.get("Fn::Sub") : (String) resource;
        assertThat(arn).as(where + " resource").isNotNull().isNotEqualTo("*");
        int wildcard = indexOfAny(arn, "*?");
        if (wildcard >= 0) {
            Matcher references = SUB_REFERENCE.matcher(arn.substring(0, wildcard));
            boolean named = false;
            while (references.find()) {
                named |= !LOCATION_PSEUDO_PARAMETERS.contains(references.group(1));
            }
            assertThat(named).as(where + ": the wildcard in " + arn + " is not under a named resource").isTrue();
        }
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyBucketIsEncryptedPrivateAndTlsOnly() throws IOException {
        for (InfraTemplate template : InfraTemplate.every()) {
            List<String> buckets = template.resourcesOfType("AWS::S3::Bucket");
            for (String bucket : buckets) {
                Map<String, Object> properties = template.properties(bucket);
                Object sse = list(at(properties, "BucketEncryption", "ServerSideEncryptionConfiguration")).get(0);
                assertThat(at(map(sse), "ServerSideEncryptionByDefault", "SSEAlgorithm")).as(bucket).isIn("AES256", "aws:kms");
                assertThat(map(properties.get("PublicAccessBlockConfiguration"))).as(bucket).isEqualTo(Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
                Map<String, Object> policy = template.properties(bucket + "TlsOnly");
                assertThat(policy.get("Bucket")).isEqualTo(Map.of("Ref", bucket));
                Map<String, Object> deny = map(list(at(policy, "PolicyDocument", "Statement")).get(0));
                assertThat(deny.get("Effect")).isEqualTo("Deny");
                assertThat(deny.get("Condition")).isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
            }
        }
    }

    @Test
    void theStreamTheDomainTheWorkgroupAndDirectPutStreamsAreEncrypted() {
        assertThat(at(TEMPLATE.properties("Stream"), "StreamEncryption", "EncryptionType")).isEqualTo("KMS");
        assertThat(at(TEMPLATE.properties("Stream"), "StreamEncryption", "KeyId"))
                .isEqualTo(Map.of("Fn::If", List.of("CustomKinesisKey", Map.of("Ref", "KinesisKmsKeyArn"), "alias/aws/kinesis")));

        Map<String, Object> domain = TEMPLATE.properties("SearchDomain");
        assertThat(at(domain, "EncryptionAtRestOptions", "Enabled")).isEqualTo(true);
        assertThat(at(domain, "NodeToNodeEncryptionOptions", "Enabled")).isEqualTo(true);
        assertThat(at(domain, "DomainEndpointOptions", "EnforceHTTPS")).isEqualTo(true);
        assertThat((String) at(domain, "DomainEndpointOptions", "TLSSecurityPolicy")).contains("TLS-1-2");
        assertThat(at(domain, "AdvancedSecurityOptions", "Enabled")).isEqualTo(true);
        assertThat(at(domain, "AdvancedSecurityOptions", "InternalUserDatabaseEnabled")).isEqualTo(true);
        assertThat(at(domain, "AdvancedSecurityOptions", "MasterUserOptions", "MasterUserPassword"))
                .isEqualTo(Map.of("Fn::Sub", "{{resolve:secretsmanager:${MasterUserSecret}:SecretString:password}}"));
        assertThat(at(TEMPLATE.properties("MasterUserSecret"), "GenerateSecretString", "GenerateStringKey")).isEqualTo("password");

        Map<String, Object> workgroup = map(TEMPLATE.properties("Workgroup").get("WorkGroupConfiguration"));
        assertThat(at(workgroup, "ResultConfiguration", "EncryptionConfiguration", "EncryptionOption")).isEqualTo("SSE_S3");
        assertThat(workgroup.get("EnforceWorkGroupConfiguration")).isEqualTo(true);
        assertThat(workgroup.get("BytesScannedCutoffPerQuery")).isEqualTo(Map.of("Ref", "AthenaBytesScannedCutoff"));

        for (String id : List.of("LakeDeliveryStream", "IndexDeliveryStream")) {
            assertThat(TEMPLATE.properties(id).get("DeliveryStreamEncryptionConfigurationInput")).isEqualTo(
                    Map.of("Fn::If", List.of("FirehoseDirectPut", Map.of("KeyType", "AWS_OWNED_CMK"), Map.of("Ref", "AWS::NoValue"))));
        }
    }

    // ------------------------------------------------------------------ what the scripts rely on

    @Test
    void everyOutputTheScriptsReadExists() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String script : List.of("deploy", "teardown", "lib.sh")) {
            String text = Files.readString(InfraTemplate.INFRA.resolve(script), StandardCharsets.UTF_8);
            Matcher direct = Pattern.compile("(?:\\bout|stack_output \"[^\"]+\") \"?([A-Z][A-Za-z]+)").matcher(text);
            while (direct.find()) {
                read.add(direct.group(1));
            }
            Matcher loop = Pattern.compile("for k in ([A-Za-z ]+); do out").matcher(text);
            while (loop.find()) {
                read.addAll(List.of(loop.group(1).trim().split(" +")));
            }
        }
        Set<String> outputs = new LinkedHashSet<>(TEMPLATE.outputs().keySet());
        outputs.addAll(InfraTemplate.artifacts().outputs().keySet());

        assertThat(read).contains("LakeBucketName", "ArtifactBucketName", "FirehoseIndexRoleArn", "MasterUserSecretName", "AppPolicyArn");
        assertThat(outputs).containsAll(read);
    }

    @Test
    void deployPassesEveryParameterWithoutDefaultAndEachFromASettingWhoseDefaultIsTheTemplates() throws IOException {
        String deploy = Files.readString(InfraTemplate.INFRA.resolve("deploy"), StandardCharsets.UTF_8);
        Map<String, String> defaults = settingsDefaults();
        Map<String, String> passed = new LinkedHashMap<>();
        Matcher parameter = Pattern.compile("(?m)^\\s+\"([A-Za-z]+)=\\$([A-Z0-9_]+)\"").matcher(deploy);
        while (parameter.find()) {
            passed.put(parameter.group(1), parameter.group(2));
        }
        Map<String, Object> parameters = TEMPLATE.parameters();

        assertThat(parameters.keySet()).containsAll(passed.keySet());
        parameters.forEach((name, definition) -> {
            if (!map(definition).containsKey("Default")) {
                assertThat(passed).as("deploy passes " + name).containsKey(name);
            }
        });
        passed.forEach((name, variable) -> {
            if (!defaults.containsKey(variable)) {
                assertThat(Set.of("CODE_BUCKET", "LAKE_KEY", "DOCUMENT_KEY")).as(variable + " is a setting or computed by deploy").contains(variable);
                return;
            }
            Object templateDefault = map(parameters.get(name)).get("Default");
            assertThat(defaults.get(variable)).as(variable + " and the default of " + name).isEqualTo(String.valueOf(templateDefault));
        });
    }

    @Test
    void theSettingsThatAreNotInfraOnlyAreTheAppsSettingsInTheirEnvironmentForm() throws IOException {
        Properties app = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            app.load(in);
        }
        Set<String> appNames = new TreeSet<>();
        app.stringPropertyNames().forEach(key -> appNames.add(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_')));

        Set<String> settings = settingsDefaults().keySet();
        assertThat(settings).contains("WIKIEDITS_KINESIS_STREAM", "WIKIEDITS_AWS_DELIVERY", "WIKIEDITS_INFRA_STACK");
        settings.stream().filter(s -> !s.startsWith("WIKIEDITS_INFRA_"))
                .forEach(s -> assertThat(appNames).as("an app setting").contains(s));
        // and the app's defaults are the infra defaults
        assertThat(settingsDefaults().get("WIKIEDITS_KINESIS_STREAM")).isEqualTo(app.getProperty("wikiedits.kinesis.stream"));
        assertThat(settingsDefaults().get("WIKIEDITS_AWS_DELIVERY")).isEqualTo(app.getProperty("wikiedits.aws.delivery"));
        assertThat(settingsDefaults().get("WIKIEDITS_ATHENA_WORKGROUP")).isEqualTo(app.getProperty("wikiedits.athena.workgroup"));
        assertThat(settingsDefaults().get("WIKIEDITS_FIREHOSE_LAKE_STREAM")).isEqualTo(app.getProperty("wikiedits.firehose.lake-stream"));
    }

    /** {@code : "${NAME:=default}"} lines of infra/settings.env. */
    static Map<String, String> settingsDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^: \"\\$\\{([A-Z0-9_]+):=(.*)}\"").matcher(
                Files.readString(InfraTemplate.INFRA.resolve("settings.env"), StandardCharsets.UTF_8));
        while (line.find()) {
            defaults.put(line.group(1), line.group(2));
        }
        return defaults;
    }

    // ------------------------------------------------------------------ helpers

    private static void assertOneLambdaProcessor(Map<String, Object> destination, String function) {
        Map<String, Object> processing = map(destination.get("ProcessingConfiguration"));
        assertThat(processing.get("Enabled")).isEqualTo(true);
        List<Object> processors = list(processing.get("Processors"));
        assertThat(processors).as("one processor, no AppendDelimiterToRecord").hasSize(1);
        Map<String, Object> processor = map(processors.get(0));
        assertThat(processor.get("Type")).isEqualTo("Lambda");
        Map<String, Object> parameters = new LinkedHashMap<>();
        list(processor.get("Parameters")).forEach(p -> parameters.put((String) map(p).get("ParameterName"), map(p).get("ParameterValue")));
        assertThat(parameters.get("LambdaArn")).isEqualTo(Map.of("Fn::GetAtt", List.of(function, "Arn")));
    }

    /** Resolves Fn::Sub and Ref with the given values ({@code ${!x}} is a literal {@code ${x}}). */
    private static Object resolve(Object node, Map<String, String> values) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.containsKey("Fn::Sub")) {
                String text = (String) m.get("Fn::Sub");
                for (Map.Entry<String, String> value : values.entrySet()) {
                    text = text.replace("${" + value.getKey() + "}", value.getValue());
                }
                assertThat(text).as("unresolved reference").doesNotContainPattern("\\$\\{[^!]");
                return text.replace("${!", "${");
            }
            if (m.size() == 1 && m.containsKey("Ref")) {
                return java.util.Objects.requireNonNull(values.get((String) m.get("Ref")), "no value for Ref " + m.get("Ref"));
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            m.forEach((k, v) -> resolved.put((String) k, resolve(v, values)));
            return resolved;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(v -> resolve(v, values)).toList();
        }
        return node;
    }
}
