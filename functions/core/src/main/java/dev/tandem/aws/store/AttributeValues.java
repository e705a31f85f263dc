package dev.tandem.aws.store;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain Java values (what JSON decodes to) to DynamoDB attribute values and back. */
public final class AttributeValues {
    private static final AttributeValue NUL = AttributeValue.builder().nul(true).build();

    private AttributeValues() {
    }

    public static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    public static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    public static AttributeValue m(Map<String, AttributeValue> v) {
        return AttributeValue.builder().m(v).build();
    }

    public static AttributeValue of(Object v) {
        if (v == null) {
            return NUL;
        }
        if (v instanceof String s) {
            return s(s);
        }
        if (v instanceof Boolean b) {
            return AttributeValue.builder().bool(b).build();
        }
        if (v instanceof Number num) {
            return AttributeValue.builder().n(num instanceof BigDecimal bd ? bd.toPlainString() : num.toString()).build();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, AttributeValue> m = new LinkedHashMap<>();
            map.forEach((k, val) -> m.put(String.valueOf(k), of(val)));
            return m(m);
        }
        if (v instanceof List<?> list) {
            List<AttributeValue> l = new ArrayList<>(list.size());
            list.forEach(val -> l.add(of(val)));
            return AttributeValue.builder().l(l).build();
        }
        return s(String.valueOf(v));
    }

    public static Object toJava(AttributeValue v) {
        if (v == null || Boolean.TRUE.equals(v.nul())) {
            return null;
        }
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            BigDecimal d = new BigDecimal(v.n());
            if (d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0) {
                try {
                    return d.longValueExact();
                } catch (ArithmeticException e) {
                    return d;
                }
            }
            return d.doubleValue();
        }
        if (v.bool() != null) {
            return v.bool();
        }
        if (v.hasM()) {
            return toJava(v.m());
        }
        if (v.hasL()) {
            List<Object> l = new ArrayList<>(v.l().size());
            v.l().forEach(x -> l.add(toJava(x)));
            return l;
        }
        if (v.hasSs()) {
            return new ArrayList<>(v.ss());
        }
        return null;
    }

    public static Map<String, Object> toJava(Map<String, AttributeValue> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(k, toJava(val)));
        return out;
    }

    public static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
