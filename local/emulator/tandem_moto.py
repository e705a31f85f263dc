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

It also makes DynamoDB calls serializable, as DynamoDB's transactions are. moto's server answers requests on
threads, and a moto transaction applies its writes one by one, going on past a failed condition before it is
put back: two transactions on the same items could each see the other's passing writes and both be
cancelled, which DynamoDB never does (one of two overlapping claims of a send always wins).

Run it as moto_server: python tandem_moto.py -H 127.0.0.1 -p PORT. TANDEM_MOTO_AS_IS=1 runs moto unchanged.
"""
import copy
import os
import sys
import threading

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

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main())
