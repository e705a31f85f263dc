"""The moto server the local stack runs, with two DynamoDB costs taken out of it.

moto 5.2.5 is correct but slow on a growing table, in two places this project leans on:

1. A TransactWriteItems deep-copies every table it names before it applies the first write, so that it can
   put the tables back if the transaction is cancelled: 13 ms at 100 items, 370 ms at 6,000.
2. A Query lists and sorts every item of the table to find the few under one key, on the table (a contact's
   profile and newest events) and on a global secondary index (each of the sweep's shard queries): 12 ms at
   100 items, 90 ms at 6,000.

Together they turn a 1,000-contact simulation into hours. This module keeps moto's behaviour and changes how
it gets there: a transaction records the items it touches and, when cancelled, puts exactly those back; a
table query reads the items of its partition; an index query reads the items under its index key from a map
built once per change of the table.

A cancelled transaction also leaves nothing on the table's stream (the stream feeds the engagement summaries). And
what the emulator stores is moved out of the garbage collector's sight every hundred requests (gc.freeze): a full
collection over a 100,000-contact table's millions of objects took seconds in the middle of a request.

It also makes DynamoDB calls serializable, as DynamoDB's transactions are. moto's server answers requests on
threads, and a moto transaction applies its writes one by one, going on past a failed condition before it is
put back: two transactions on the same items could each see the other's passing writes and both be
cancelled, which DynamoDB never does (one of two overlapping claims of a send always wins).

It also fails the way AWS fails, in front of moto (the AwsLike middleware below):

- Strict mode (always on): what AWS enforces and moto does not. SES message-tag names and values hold only
  [A-Za-z0-9_-], 256 characters at most (BadRequestException); a DynamoDB item is at most 400 KB (ValidationException,
  or a ValidationError cancellation reason inside a transaction), a partition key at most 2048 bytes and a sort key
  at most 1024 (ValidationException).
- Fault mode (off until asked for): at a chosen rate, DynamoDB answers a transaction TransactionConflict, throttles
  (ProvisionedThroughputExceededException), fails with a 500 before applying the request, or applies it and answers
  too late (a timeout: the client gives up and retries; a transaction's ClientRequestToken makes the retry a no-op, as
  DynamoDB does for ten minutes); SES and SNS throttle, or take the message and then answer 500 or too late (the case
  that would send twice if a client retried; a provider's late answer is a connection cut after the send). Set it with TANDEM_FAULTS (JSON, read at start) or at run time with
  POST /tandem/faults {"rate": 0.1, "services": ["dynamodb", "ses", "sns"], "kinds": ["conflict", "throttle",
  "5xx", "timeout"], "delay": 2.5, "seed": 7}; GET /tandem/faults answers the setting and what was injected so far.

Events out: a rule's Firehose target is delivered (moto has none), and Firehose writes S3 under the prefix's
!{timestamp:...} and ends records with the AppendDelimiterToRecord newline, as AWS does.

Run it as moto_server: python tandem_moto.py -H 127.0.0.1 -p PORT. TANDEM_MOTO_AS_IS=1 runs moto unchanged.
"""
import copy
import gc
import io
import json
import os
import random
import re
import socket
import sys
import threading
import time
import urllib.parse

import moto.dynamodb.models as models
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

_deepcopy = copy.deepcopy
_transact = models.DynamoDBBackend.transact_write_items


class _CopiesAllButTables:
    """What moto.dynamodb.models sees as its copy module: tables are not copied, everything else is."""

    @staticmethod
    def deepcopy(obj, memo=None):
        if isinstance(obj, Table):
            return obj
        return _deepcopy(obj, memo)


def _key(table, op_type, op):
    if op_type == "Put":
        attrs = op.get("Item", {})
        if table.hash_key_attr not in attrs:
            return None
        key = {table.hash_key_attr: attrs[table.hash_key_attr]}
        if table.range_key_attr is not None and table.range_key_attr in attrs:
            key[table.range_key_attr] = attrs[table.range_key_attr]
        return key
    return op.get("Key")


def transact_write_items(self, transact_items):
    before = []
    # A cancelled transaction leaves nothing on the table's stream, as in DynamoDB: moto's writes before the failed
    # condition, and the puts that undo them, would otherwise reach the stream's readers as changes that never were.
    streams = {}
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table = self.tables.get(op.get("TableName"))
        if table is not None and table.stream_shard is not None and table.name not in streams:
            streams[table.name] = (table.stream_shard, len(table.stream_shard.items))
    for entry in transact_items:
        op_type, op = next(iter(entry.items()))
        table = self.tables.get(op.get("TableName"))
        if table is None:
            continue
        key = _key(table, op_type, op)
        if key is None:
            continue
        try:
            current = self.get_item(table.name, key)
        except Exception:  # moto reports a bad key itself, in the transaction
            continue
        before.append((table, key, _deepcopy(current) if current is not None else None))
    try:
        return _transact(self, transact_items)
    except Exception:
        for table, key, original in reversed(before):
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
            table.delete_item(hash_key, range_key)
            if original is not None:
                table.put_item(original.to_json()["Attributes"])
        for shard, length in streams.values():
            del shard.items[length:]
        raise


# --- index queries ---------------------------------------------------------------------------------

_all_items = Table.all_items
_query = Table.query
_table_put = Table.put_item
_table_delete = Table.delete_item
_backend_update = models.DynamoDBBackend.update_item
_scope = threading.local()


def _changed(table):
    table.__dict__["_tandem_version"] = table.__dict__.get("_tandem_version", 0) + 1


def table_put_item(self, *args, **kwargs):
    try:
        return _table_put(self, *args, **kwargs)
    finally:
        _changed(self)


def table_delete_item(self, *args, **kwargs):
    try:
        return _table_delete(self, *args, **kwargs)
    finally:
        _changed(self)


def backend_update_item(self, table_name, *args, **kwargs):
    # moto updates a stored item in place, so the table's index keys may change without a put.
    try:
        return _backend_update(self, table_name, *args, **kwargs)
    finally:
        table = self.tables.get(table_name)
        if table is not None:
            _changed(table)


def all_items(self):
    only = getattr(_scope, "only", None)
    if only is not None and only[0] is self:
        return list(only[1])
    return _all_items(self)


def query(self, *args, **kwargs):
    index_name = args[7] if len(args) > 7 else kwargs.get("index_name")
    conditions = kwargs.get("hash_key_conditions")
    if not index_name:
        hash_key = args[0] if args else kwargs.get("hash_key")
        partition = self.items.get(hash_key) if hash_key is not None else None
        if self.range_key_attr is None or partition is None:
            return _query(self, *args, **kwargs)
        _scope.only = (self, sorted(partition.values(), key=lambda item: item.range_key))
        try:
            return _query(self, *args, **kwargs)
        finally:
            _scope.only = None
    if not conditions or len(conditions) != 1:
        return _query(self, *args, **kwargs)
    attr, value = conditions[0]
    version = self.__dict__.get("_tandem_version", 0)
    maps = self.__dict__.setdefault("_tandem_index_maps", {})
    entry = maps.get(attr)
    if entry is None or entry[0] != version:
        by_value = {}
        for item in _all_items(self):  # in moto's own order, which the query keeps for equal keys
            v = item.attrs.get(attr)
            if v is not None:
                by_value.setdefault(v, []).append(item)
        entry = (version, by_value)
        maps[attr] = entry
    _scope.only = (self, entry[1].get(value, []))
    try:
        return _query(self, *args, **kwargs)
    finally:
        _scope.only = None


# --- one DynamoDB call at a time ------------------------------------------------------------------

_serial = threading.RLock()


def _serialized(method):
    def call(self, *args, **kwargs):
        with _serial:
            return method(self, *args, **kwargs)
    return call


_SERIALIZED = ("put_item", "update_item", "delete_item", "get_item", "query", "scan", "batch_write_item",
               "batch_get_item", "transact_write_items", "transact_get_items")


if os.environ.get("TANDEM_MOTO_AS_IS") != "1":
    models.copy = _CopiesAllButTables
    models.DynamoDBBackend.transact_write_items = transact_write_items
    Table.put_item = table_put_item
    Table.delete_item = table_delete_item
    models.DynamoDBBackend.update_item = backend_update_item
    Table.all_items = all_items
    Table.query = query
    for _name in _SERIALIZED:
        setattr(models.DynamoDBBackend, _name, _serialized(getattr(models.DynamoDBBackend, _name)))

# --- the garbage collector -------------------------------------------------------------------------

_requests = [0]


def _age_out_of_gc():
    """Every hundred requests, what the emulator holds moves out of the collector's sight (gc.freeze).

    A table of 100,000 contacts, with its stream's records, is millions of Python objects, and CPython's full
    collection walks them all: more than a second at 60,000 contacts, in the middle of whichever request triggered it,
    so that a transaction now and then outlasted the SDK's five-second call timeout. Stored items live as long as the
    emulator; frozen, they are never walked again, and what requests make and drop is still collected.
    """
    _requests[0] += 1
    if _requests[0] % 100 == 0:
        gc.freeze()


# --- events out: a rule's Firehose target, and Firehose's S3 prefix and delimiter ---------------------------------
#
# moto's rules deliver to SQS, logs and buses, not to Firehose, and its Firehose writes S3 objects under
# YYYY/MM/DD/HH/ whatever the prefix says and with the records run together. AWS delivers a rule's event (or the part
# its InputPath names) to a Firehose target, expands !{timestamp:...} in the prefix (UTC, Java date patterns) and, with
# the AppendDelimiterToRecord processor, ends each record with a newline: so does the emulator. Compression is left
# out (objects stay plain JSON lines; a reader takes both).

import moto.events.models as _events_models
import moto.firehose.models as _firehose_models

_TIMESTAMP = re.compile(r"!\{timestamp:([^}]+)\}")
_JAVA_TO_STRFTIME = [("yyyy", "%Y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S")]


def _input_path(event, path):
    """The part of an event a target's InputPath names ($.detail, $.detail.x): what AWS hands the target."""
    value = event
    for part in [p for p in path.lstrip("$").split(".") if p]:
        value = value.get(part) if isinstance(value, dict) else None
    return value


_original_send_to_targets = _events_models.Rule.send_to_targets


def send_to_targets(self, original_event, transform_input=True):
    if not self.event_pattern.matches_event(original_event):
        return
    hoses = [t for t in self.targets if ":firehose:" in t["Arn"]]
    for target in hoses:
        if "InputPath" in target:
            payload = _input_path(original_event, target["InputPath"])
        else:
            payload = original_event
        name = target["Arn"].split("/")[-1]
        account, region = target["Arn"].split(":")[4], target["Arn"].split(":")[3]
        backend = _firehose_models.firehose_backends[account][region]
        backend.put_record(name, {"Data": json.dumps(payload, separators=(",", ":")).encode("utf-8")})
    others = [t for t in self.targets if ":firehose:" not in t["Arn"]]
    if others:
        kept = self.targets
        try:
            self.targets = others
            _original_send_to_targets(self, original_event, transform_input)
        finally:
            self.targets = kept


def _expand_prefix(prefix, now):
    def one(m):
        fmt = m.group(1)
        for java, py in _JAVA_TO_STRFTIME:
            fmt = fmt.replace(java, py)
        return now.strftime(fmt)
    return _TIMESTAMP.sub(one, prefix)


def put_s3_records(self, delivery_stream_name, version_id, s3_destination, records):
    import datetime
    from moto.s3.models import s3_backends
    now = datetime.datetime.now(datetime.timezone.utc)
    prefix = s3_destination.get("Prefix", "") or ""
    if "!{" in prefix:
        path = _expand_prefix(prefix, now)
    else:
        path = (prefix if prefix.endswith("/") or not prefix else prefix + "/") + now.strftime("%Y/%m/%d/%H/")
    path += f"{delivery_stream_name}-{version_id}-{now.strftime('%Y-%m-%d-%H-%M-%S')}-{random.getrandbits(64):016x}"
    processing = s3_destination.get("ProcessingConfiguration") or {}
    delimiter = b""
    if str(processing.get("Enabled", "false")).lower() == "true":
        for proc in processing.get("Processors", []):
            if proc.get("Type") == "AppendDelimiterToRecord":
                delimiter = b"\n"
    data = b"".join(r["Data"] + delimiter for r in records)
    bucket = s3_destination["BucketARN"].split(":")[-1]
    s3_backends[self.account_id][self.partition].put_object(bucket, path, data)
    return [{"RecordId": f"{random.getrandbits(64):016x}"} for _ in records]


if os.environ.get("TANDEM_MOTO_AS_IS") != "1":
    _events_models.Rule.send_to_targets = send_to_targets
    _firehose_models.FirehoseBackend.put_s3_records = put_s3_records


# --- AWS's limits and faults, in front of moto -----------------------------------------------------------

ITEM_MAX = 400 * 1024
HASH_KEY_MAX = 2048
RANGE_KEY_MAX = 1024
TAG_CHARS = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DYNAMO_KEYS = {"PK": HASH_KEY_MAX, "GSI1PK": HASH_KEY_MAX, "SK": RANGE_KEY_MAX, "GSI1SK": RANGE_KEY_MAX}


def _value_size(v):
    """DynamoDB's size of an attribute value: UTF-8 bytes of strings, about a byte per two digits of a number."""
    (kind, x), = v.items()
    if kind == "S":
        return len(x.encode("utf-8"))
    if kind == "N":
        return len(x.lstrip("-").replace(".", "")) // 2 + 1
    if kind == "B":
        return len(x) * 3 // 4
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(_value_size({kind[0]: e}) for e in x)
    if kind == "L":
        return 3 + sum(1 + _value_size(e) for e in x)
    if kind == "M":
        return 3 + sum(1 + len(k.encode("utf-8")) + _value_size(e) for k, e in x.items())
    return 0


def item_size(item):
    return sum(len(k.encode("utf-8")) + _value_size(v) for k, v in item.items())


def key_problem(item):
    for name, limit in DYNAMO_KEYS.items():
        v = item.get(name)
        if v and "S" in v and len(v["S"].encode("utf-8")) > limit:
            if limit == HASH_KEY_MAX:
                return "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes"
            return "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
    return None


class Faults:
    KINDS = ("conflict", "throttle", "5xx", "timeout")

    def __init__(self):
        self.lock = threading.Lock()
        self.injected = {}
        self.set(json.loads(os.environ.get("TANDEM_FAULTS") or "{}"))

    def set(self, config):
        with self.lock:
            self.rate = float(config.get("rate", 0))
            self.services = set(config.get("services", ["dynamodb", "ses", "sns"]))
            self.kinds = [k for k in config.get("kinds", self.KINDS) if k in self.KINDS]
            self.delay = float(config.get("delay", 2.5))
            self.random = random.Random(config.get("seed"))

    def config(self):
        return {"rate": self.rate, "services": sorted(self.services), "kinds": self.kinds, "delay": self.delay}

    def pick(self, service, operation, allowed):
        """A fault to inject for this request, or None."""
        with self.lock:
            kinds = [k for k in self.kinds if k in allowed]
            if self.rate <= 0 or service not in self.services or not kinds or self.random.random() >= self.rate:
                return None
            kind = self.random.choice(kinds)
            key = "%s.%s.%s" % (service, operation, kind)
            self.injected[key] = self.injected.get(key, 0) + 1
            return kind


class AwsLike:
    """WSGI middleware: AWS's limits (strict mode) and AWS's failures (fault mode) around moto's server."""

    def __init__(self, app):
        self.app = app
        self.faults = Faults()
        self.tokens = {}
        self.tokens_lock = threading.Lock()

    def __call__(self, environ, start_response):
        _age_out_of_gc()
        if environ.get("PATH_INFO") == "/tandem/faults":
            return self.control(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        service, operation = self.what(environ, body)
        if service == "dynamodb":
            return self.dynamodb(environ, start_response, operation, body)
        if service == "ses" and operation == "SendEmail":
            return self.provider(environ, start_response, "ses", operation, body)
        if service == "sns" and operation == "Publish":
            return self.provider(environ, start_response, "sns", operation, body)
        return self.app(environ, start_response)

    @staticmethod
    def what(environ, body):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        m = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", auth)
        service = m.group(1) if m else ""
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target:
            return service, target.split(".")[-1]
        if service == "ses" and environ.get("PATH_INFO", "").startswith("/v2/email/outbound-emails"):
            return service, "SendEmail"
        if service == "sns":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            action = (form.get("Action") or [""])[0]
            # An SMS is a Publish to a phone number; a Publish to a topic is the local stack's own plumbing.
            return service, action if action != "Publish" or "PhoneNumber" in form else "PublishToTopic"
        return service, ""

    def control(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            self.faults.set(json.loads(raw or b"{}"))
            if not self.faults.rate:
                with self.faults.lock:
                    self.faults.injected = {}
        with self.faults.lock:
            out = {"config": self.faults.config(), "injected": dict(self.faults.injected)}
        return self.respond(start_response, 200, {"Content-Type": "application/json"}, json.dumps(out))

    @staticmethod
    def respond(start_response, status, headers, text):
        data = text.encode("utf-8")
        reason = {200: "OK", 400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error"}.get(status, "Error")
        start_response("%d %s" % (status, reason), list(headers.items()) + [("Content-Length", str(len(data)))])
        return [data]

    def capture(self, environ):
        """Runs moto, keeping its whole answer so it can be held back, replayed or replaced."""
        captured = {}

        def keep(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = headers
            return lambda s: None

        chunks = self.app(environ, keep)
        try:
            data = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return captured["status"], captured["headers"], data

    def replay(self, start_response, answer):
        status, headers, data = answer
        start_response(status, headers)
        return [data]

    # --- DynamoDB ---

    def dynamo_error(self, start_response, status, kind, message, extra=None):
        body = {"__type": "com.amazonaws.dynamodb.v20120810#" + kind, "message": message}
        if extra:
            body.update(extra)
        return self.respond(start_response, status, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(body))

    def dynamo_strict(self, start_response, operation, request):
        def items():
            if operation == "PutItem":
                yield 0, request.get("Item", {}), True
            elif operation == "TransactWriteItems":
                for i, w in enumerate(request.get("TransactItems", [])):
                    if "Put" in w:
                        yield i, w["Put"].get("Item", {}), True
                    for op in ("Update", "Delete", "ConditionCheck"):
                        if op in w:
                            yield i, w[op].get("Key", {}), False
            elif operation == "BatchWriteItem":
                for writes in request.get("RequestItems", {}).values():
                    for w in writes:
                        if "PutRequest" in w:
                            yield 0, w["PutRequest"].get("Item", {}), True
                        if "DeleteRequest" in w:
                            yield 0, w["DeleteRequest"].get("Key", {}), False
            elif operation in ("UpdateItem", "DeleteItem", "GetItem"):
                yield 0, request.get("Key", {}), False
        for index, item, whole in items():
            problem = key_problem(item)
            if problem:
                return self.dynamo_error(start_response, 400, "ValidationException", problem)
            if whole and item_size(item) > ITEM_MAX:
                message = "Item size has exceeded the maximum allowed size"
                if operation == "TransactWriteItems":
                    n = len(request.get("TransactItems", []))
                    reasons = [{"Code": "None"}] * n
                    reasons[index] = {"Code": "ValidationError", "Message": message}
                    return self.dynamo_error(start_response, 400, "TransactionCanceledException",
                                             "Transaction cancelled, please refer cancellation reasons for specific reasons",
                                             {"CancellationReasons": reasons})
                return self.dynamo_error(start_response, 400, "ValidationException", message)
        return None

    def dynamodb(self, environ, start_response, operation, body):
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return self.app(environ, start_response)
        refused = self.dynamo_strict(start_response, operation, request)
        if refused is not None:
            return refused
        token = request.get("ClientRequestToken") if operation == "TransactWriteItems" else None
        if token:
            with self.tokens_lock:
                done = self.tokens.get(token)
            if done is not None and time.time() - done[0] < 600:
                return self.replay(start_response, done[1])
        allowed = ("throttle", "5xx", "timeout") + (("conflict",) if operation == "TransactWriteItems" else ())
        fault = self.faults.pick("dynamodb", operation, allowed)
        if fault == "conflict":
            n = len(request.get("TransactItems", []))
            reasons = [{"Code": "None"}] * n
            reasons[self.faults.random.randrange(n)] = {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
            return self.dynamo_error(start_response, 400, "TransactionCanceledException",
                                     "Transaction cancelled, please refer cancellation reasons for specific reasons",
                                     {"CancellationReasons": reasons})
        if fault == "throttle":
            if operation == "TransactWriteItems":
                # DynamoDB throttles a transaction by cancelling it, naming the throttled item.
                n = len(request.get("TransactItems", []))
                reasons = [{"Code": "None"}] * n
                reasons[self.faults.random.randrange(n)] = {"Code": "ThrottlingError",
                                                             "Message": "Throughput exceeds the current capacity of your table or index."}
                return self.dynamo_error(start_response, 400, "TransactionCanceledException",
                                         "Transaction cancelled, please refer cancellation reasons for specific reasons",
                                         {"CancellationReasons": reasons})
            return self.dynamo_error(start_response, 400, "ProvisionedThroughputExceededException",
                                     "The level of configured provisioned throughput for the table was exceeded.")
        if fault == "5xx":
            return self.dynamo_error(start_response, 500, "InternalServerError", "Internal server error")
        answer = self.capture(environ)
        if token and answer[0].startswith("200"):
            with self.tokens_lock:
                self.tokens[token] = (time.time(), answer)
        if fault == "timeout":
            time.sleep(self.faults.delay)
        return self.replay(start_response, answer)

    # --- SES and SNS ---

    def provider(self, environ, start_response, service, operation, body):
        if service == "ses":
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                request = {}
            for tag in request.get("EmailTags") or []:
                for part in ("Name", "Value"):
                    value = tag.get(part, "")
                    if not TAG_CHARS.match(value):
                        return self.respond(start_response, 400, {"Content-Type": "application/json",
                                                                  "x-amzn-ErrorType": "BadRequestException"},
                                            json.dumps({"message": "Invalid tag %s: %r; only alphanumeric ASCII characters, '_', and '-' are allowed."
                                                        % (part.lower(), value)}))
        fault = self.faults.pick(service, operation, ("throttle", "5xx", "timeout"))
        if fault == "throttle":
            if service == "ses":
                return self.respond(start_response, 429, {"Content-Type": "application/json",
                                                          "x-amzn-ErrorType": "TooManyRequestsException"},
                                    json.dumps({"message": "Maximum sending rate exceeded."}))
            return self.respond(start_response, 400, {"Content-Type": "text/xml"},
                                '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>'
                                "<Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                                "<RequestId>tandem-fault</RequestId></ErrorResponse>")
        answer = self.capture(environ)
        if fault == "5xx":
            # The message went out; the answer says otherwise. A client that retried would send it twice.
            if service == "ses":
                return self.respond(start_response, 500, {"Content-Type": "application/json", "x-amzn-ErrorType": "InternalFailure"},
                                    json.dumps({"message": "An internal error occurred."}))
            return self.respond(start_response, 500, {"Content-Type": "text/xml"},
                                '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Receiver</Type>'
                                "<Code>InternalError</Code><Message>Internal error</Message></Error>"
                                "<RequestId>tandem-fault</RequestId></ErrorResponse>")
        if fault == "timeout":
            # No answer at all: the connection is cut once the message went, as when a response is lost on the way.
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return []
            time.sleep(self.faults.delay)
        return self.replay(start_response, answer)


def main(argv=None):
    import argparse

    import signal

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args(argv)
    os.environ.setdefault("MOTO_PORT", str(args.port))
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, app if os.environ.get("TANDEM_MOTO_AS_IS") == "1" else AwsLike(app),
               threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    sys.exit(main())
