package dev.tandem.local;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml as the local stack reads it: resources, parameters and the functions' environments,
 * with CloudFormation's intrinsic functions resolved against local names. The local stack creates what
 * the template declares; nothing is written down a second time.
 */
public final class Template {
    public static final String REGION_DEFAULT = "us-east-1";
    public static final String ACCOUNT = "123456789012";

    private final Map<String, Object> root;
    private final String region;

    private Template(Map<String, Object> root, String region) {
        this.root = root;
        this.region = region;
    }

    public static Template load(Path file) {
        String region = System.getenv().getOrDefault("AWS_REGION", System.getenv().getOrDefault("AWS_DEFAULT_REGION", REGION_DEFAULT));
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object doc = new Yaml(new IntrinsicConstructor()).load(r);
            return new Template(map(doc), region);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public String region() {
        return region;
    }

    Map<String, Object> resourcesRoot() {
        return root;
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> resource(String logicalId) {
        Object r = resources().get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return map(r);
    }

    public String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    public Map<String, Object> properties(String logicalId) {
        Object p = resource(logicalId).get("Properties");
        return p == null ? Map.of() : map(p);
    }

    public List<String> ofType(String type) {
        List<String> out = new ArrayList<>();
        resources().forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                out.add(id);
            }
        });
        return out;
    }

    /** The handler class of a function, from its {@code Handler} property. */
    public String handlerClass(String logicalId) {
        if (!"AWS::Serverless::Function".equals(type(logicalId))) {
            throw new IllegalArgumentException(logicalId + " is not a function in template.yaml; functions: "
                    + String.join(", ", ofType("AWS::Serverless::Function")));
        }
        String handler = (String) properties(logicalId).get("Handler");
        if (handler == null) {
            handler = (String) map(map(root.getOrDefault("Globals", Map.of())).getOrDefault("Function", Map.of())).get("Handler");
        }
        return handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
    }

    /** A function's environment: the Globals merged with its own, every intrinsic resolved locally. */
    public Map<String, String> environment(String logicalId) {
        Map<String, String> env = new LinkedHashMap<>();
        Object globals = path(root, "Globals", "Function", "Environment", "Variables");
        if (globals != null) {
            map(globals).forEach((k, v) -> env.put(k, String.valueOf(resolve(v))));
        }
        Object own = path(properties(logicalId), "Environment", "Variables");
        if (own != null) {
            map(own).forEach((k, v) -> env.put(k, String.valueOf(resolve(v))));
        }
        return env;
    }

    /** A parameter's default value. */
    public String parameter(String name) {
        Object p = path(root, "Parameters", name);
        if (p == null) {
            throw new IllegalArgumentException("template.yaml has no parameter " + name);
        }
        Object d = map(p).get("Default");
        return d == null ? "" : String.valueOf(d);
    }

    /** The local physical name of a resource: its name property when the template sets one, else its logical id. */
    public String physicalName(String logicalId) {
        Map<String, Object> props = properties(logicalId);
        if ("AWS::S3::Bucket".equals(type(logicalId)) && !props.containsKey("BucketName")) {
            // CloudFormation names a bucket itself; S3's names are lower case.
            return "tandem-local-" + logicalId.toLowerCase(java.util.Locale.ROOT);
        }
        for (String key : List.of("TableName", "TopicName", "QueueName", "Name", "FunctionName", "EmailIdentity")) {
            if (props.containsKey(key)) {
                return String.valueOf(resolve(props.get(key)));
            }
        }
        return logicalId;
    }

    public String arn(String logicalId) {
        String name = physicalName(logicalId);
        String type = type(logicalId);
        return switch (type) {
            case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":table/" + name;
            case "AWS::SNS::Topic" -> "arn:aws:sns:" + region + ":" + ACCOUNT + ":" + name;
            case "AWS::SQS::Queue" -> "arn:aws:sqs:" + region + ":" + ACCOUNT + ":" + name;
            case "AWS::Serverless::Function", "AWS::Lambda::Function" ->
                    "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + name;
            case "AWS::IAM::Role" -> "arn:aws:iam::" + ACCOUNT + ":role/" + name;
            case "AWS::Scheduler::ScheduleGroup" -> "arn:aws:scheduler:" + region + ":" + ACCOUNT + ":schedule-group/" + name;
            case "AWS::S3::Bucket" -> "arn:aws:s3:::" + name;
            case "AWS::Events::EventBus" -> "arn:aws:events:" + region + ":" + ACCOUNT + ":event-bus/" + name;
            case "AWS::Events::Rule" -> "arn:aws:events:" + region + ":" + ACCOUNT + ":rule/" + name;
            case "AWS::KinesisFirehose::DeliveryStream" -> "arn:aws:firehose:" + region + ":" + ACCOUNT + ":deliverystream/" + name;
            default -> "arn:aws:local:" + region + ":" + ACCOUNT + ":" + name;
        };
    }

    /** What {@code !Ref} gives for a resource, as CloudFormation defines it per type. */
    public String ref(String name) {
        switch (name) {
            case "AWS::Region":
                return region;
            case "AWS::AccountId":
                return ACCOUNT;
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::Partition":
                return "aws";
            case "AWS::StackName":
                return "tandem-local";
            case "AWS::NoValue":
                return "";
            default:
                break;
        }
        if (path(root, "Parameters", name) != null) {
            return parameter(name);
        }
        if (name.endsWith("Alias" + "live") || name.endsWith(".Alias")) {
            String fn = name.endsWith(".Alias") ? name.substring(0, name.length() - 6) : name.substring(0, name.length() - 9);
            return arn(fn) + ":live";
        }
        if (!resources().containsKey(name)) {
            throw new IllegalArgumentException("template.yaml refers to " + name + ", which it does not declare");
        }
        String type = type(name);
        return switch (type) {
            case "AWS::SNS::Topic", "AWS::IAM::Role" -> arn(name);
            case "AWS::SQS::Queue" -> queueUrl(name);
            default -> physicalName(name);
        };
    }

    public String queueUrl(String logicalId) {
        String endpoint = System.getenv().getOrDefault("AWS_ENDPOINT_URL", "http://localhost:5000");
        return endpoint + "/" + ACCOUNT + "/" + physicalName(logicalId);
    }

    public String getAtt(String logicalId, String attribute) {
        return switch (attribute) {
            case "Arn" -> arn(logicalId);
            case "QueueName", "TopicName", "Name" -> physicalName(logicalId);
            case "QueueUrl" -> queueUrl(logicalId);
            case "TopicArn" -> arn(logicalId);
            default -> throw new IllegalArgumentException("the local stack cannot resolve " + logicalId + "." + attribute);
        };
    }

    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    /** Resolves intrinsic functions in a value to plain strings, lists and maps. */
    public Object resolve(Object v) {
        if (v instanceof Map<?, ?> m && m.size() == 1) {
            Map.Entry<?, ?> e = m.entrySet().iterator().next();
            String fn = String.valueOf(e.getKey());
            Object arg = e.getValue();
            switch (fn) {
                case "Ref":
                    return ref(String.valueOf(arg));
                case "Fn::GetAtt": {
                    List<?> parts = arg instanceof List<?> l ? l : Arrays.asList(String.valueOf(arg).split("\\.", 2));
                    return getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
                }
                case "Fn::Sub":
                    return sub(arg);
                case "Fn::Join": {
                    List<?> l = (List<?>) arg;
                    List<String> parts = new ArrayList<>();
                    for (Object o : (List<?>) resolve(l.get(1))) {
                        parts.add(String.valueOf(resolve(o)));
                    }
                    return String.join(String.valueOf(l.get(0)), parts);
                }
                case "Fn::If": {
                    List<?> l = (List<?>) arg;
                    return resolve(condition(String.valueOf(l.get(0))) ? l.get(1) : l.get(2));
                }
                case "Fn::Select": {
                    List<?> l = (List<?>) arg;
                    List<?> from = (List<?>) resolve(l.get(1));
                    return resolve(from.get(Integer.parseInt(String.valueOf(resolve(l.get(0))))));
                }
                case "Fn::Split": {
                    List<?> l = (List<?>) arg;
                    return Arrays.asList(String.valueOf(resolve(l.get(1))).split(Pattern.quote(String.valueOf(l.get(0))), -1));
                }
                default:
                    break;
            }
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), resolve(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(o -> out.add(resolve(o)));
            return out;
        }
        return v;
    }

    private String sub(Object arg) {
        String text;
        Map<String, Object> vars = Map.of();
        if (arg instanceof List<?> l) {
            text = String.valueOf(l.get(0));
            vars = map(l.get(1));
        } else {
            text = String.valueOf(arg);
        }
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (vars.containsKey(name)) {
                value = String.valueOf(resolve(vars.get(name)));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                String[] parts = name.split("\\.", 2);
                value = getAtt(parts[0], parts[1]);
            } else {
                value = ref(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Conditions evaluate with every parameter at its default. */
    public boolean condition(String name) {
        Object c = path(root, "Conditions", name);
        if (c == null) {
            throw new IllegalArgumentException("template.yaml has no condition " + name);
        }
        return evaluate(c);
    }

    private boolean evaluate(Object c) {
        Map<String, Object> m = map(c);
        Map.Entry<String, Object> e = m.entrySet().iterator().next();
        List<?> args = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
        return switch (e.getKey()) {
            case "Fn::Equals" -> String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
            case "Fn::Not" -> !evaluate(args.get(0));
            case "Fn::And" -> args.stream().allMatch(this::evaluate);
            case "Fn::Or" -> args.stream().anyMatch(this::evaluate);
            case "Condition" -> condition(String.valueOf(e.getValue()));
            default -> throw new IllegalArgumentException("unsupported condition " + e.getKey());
        };
    }

    static Object path(Object from, String... keys) {
        Object cur = from;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected a mapping in template.yaml, found " + o);
        }
        return (Map<String, Object>) o;
    }

    /** Reads CloudFormation's short tags ({@code !Ref}, {@code !Sub}...) as their long forms. */
    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor() {
            super(new LoaderOptions());
            for (String fn : List.of("Ref", "Condition")) {
                this.yamlConstructors.put(new Tag("!" + fn), new Intrinsic(fn));
            }
            for (String fn : List.of("GetAtt", "Sub", "Join", "If", "Equals", "Not", "And", "Or", "Select",
                    "Split", "FindInMap", "ImportValue", "Base64", "GetAZs", "Cidr", "ToJsonString", "Length")) {
                this.yamlConstructors.put(new Tag("!" + fn), new Intrinsic("Fn::" + fn));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String name;

            Intrinsic(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode s) {
                    value = constructScalar(s);
                } else if (node instanceof SequenceNode s) {
                    value = constructSequence(s);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(name, value);
                return m;
            }
        }
    }
}
