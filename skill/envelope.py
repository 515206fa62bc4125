"""ask-sdk's request models from an envelope already parsed, and a response's JSON, made the
way ask-sdk's own DefaultSerializer makes them, at a fraction of its cost.

DefaultSerializer parses the JSON text again, resolves every model class by importing it by name
for every field of every request, and reads each timestamp with dateutil's general parser: about
0.4 ms a request, as much as all the rest of a hello-world skill's work. `ModelReader` walks the
same `deserialized_types` and `attribute_map` of ask-sdk's models, with what it resolves kept per
type, and reads Alexa's one timestamp form ("2026-12-01T13:45:40Z") itself (any other form goes
to dateutil, as before). What it makes is the same: the same classes, discriminators, enums,
primitive casts, extra keys set as attributes, and a SerializationException where ask-sdk raises
one (tests/alexa/test_envelope.py compares the two on every kind of request the tests send).
`ModelWriter` writes a response as DefaultSerializer.serialize does, with each class's fields
listed once instead of for every object.
"""

from __future__ import annotations

import decimal
import re
from datetime import date, datetime
from enum import Enum
from typing import Any, Callable

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from dateutil.tz import tzutc

_ALEXA_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z\Z")
_LIST = re.compile(r"list\[(.*)\]")
_DICT = re.compile(r"dict\(([^,]*), (.*)\)")
_UTC = tzutc()

Reader = Callable[[Any], Any]


class ModelReader:
    """`read(parsed_json, RequestEnvelope)`: the model ask-sdk's DefaultSerializer would make from
    the same JSON text. Thread-safe: what it caches is filled once per type and never changed."""

    def __init__(self) -> None:
        self._readers: dict[Any, Reader] = {}
        self._classes: dict[str, type] = {}

    def read(self, payload: Any, obj_type: Any) -> Any:
        try:
            return self._reader(obj_type)(payload)
        except SerializationException:
            raise
        except Exception as error:  # as ask-sdk: any failure inside a model is a SerializationException
            raise SerializationException(str(error)) from error

    # --- one reader per type, made once -----------------------------------------------------

    def _reader(self, obj_type: Any) -> Reader:
        reader = self._readers.get(obj_type)
        if reader is None:
            reader = self._readers[obj_type] = self._make(obj_type)
        return reader

    def _make(self, obj_type: Any) -> Reader:
        if isinstance(obj_type, str):
            if obj_type.startswith("list["):
                return self._list_reader(obj_type)
            if obj_type.startswith("dict("):
                found = _DICT.match(obj_type)
                if found is None:
                    return lambda payload: None if payload is None else {}
                values = found.group(2)
                return lambda payload: None if payload is None else {
                    k: self._reader(values)(v) for k, v in payload.items()}
            native = DefaultSerializer.NATIVE_TYPES_MAPPING.get(obj_type)
            obj_type = native if native is not None else self._class(obj_type)
        if obj_type in DefaultSerializer.PRIMITIVE_TYPES:
            return _primitive_reader(obj_type)
        if obj_type is object:
            return lambda payload: payload
        if obj_type in (date, datetime):
            return _time_reader(obj_type)
        return self._model_reader(obj_type)

    def _list_reader(self, obj_type: str) -> Reader:
        found = _LIST.match(obj_type)
        if found is None:
            return lambda payload: None if payload is None else []
        types = found.group(1)
        if "," in types:  # a list of several types, one an item (ask-sdk's zip)
            parts = [part.strip() for part in types.split(",")]
            return lambda payload: None if payload is None else [
                self._reader(t)(item) for item, t in zip(payload, parts)]
        item_type = types.strip()
        return lambda payload: None if payload is None else [self._reader(item_type)(item) for item in payload]

    def _model_reader(self, cls: type) -> Reader:
        if isinstance(cls, type) and issubclass(cls, Enum):
            return lambda payload: None if payload is None else cls(payload)
        if not hasattr(cls, "deserialized_types"):
            return lambda payload: payload
        if hasattr(cls, "get_real_child_model"):  # the payload names its class (a "type" field)
            def by_discriminator(payload):
                if payload is None:
                    return None
                name = cls.get_real_child_model(payload)
                if not name:
                    raise SerializationException(f"Couldn't resolve object by discriminator type for {cls} class")
                return self._fields_reader(self._class(name))(payload)
            return by_discriminator
        return self._fields_reader(cls)

    def _fields_reader(self, cls: type) -> Reader:
        reader = self._readers.get(("fields", cls))
        if reader is not None:
            return reader
        types = cls.deserialized_types
        attribute_map = getattr(cls, "attribute_map", {})
        attribute_map.update({k: k for k in types if k not in attribute_map})  # as ask-sdk does, once
        fields = tuple((attribute, key, types[attribute]) for attribute, key in attribute_map.items())
        keys = frozenset(attribute_map.values())

        def read_fields(payload):
            if payload is None:
                return None
            model = cls()
            for attribute, key, type_name in fields:
                if key in payload:
                    setattr(model, attribute, self._reader(type_name)(payload[key]))
            for key in payload:
                if key not in keys:  # kept as ask-sdk keeps it: an attribute of the same name
                    setattr(model, key, payload[key])
            return model

        self._readers[("fields", cls)] = read_fields
        return read_fields

    def _class(self, name: str) -> type:
        found = self._classes.get(name)
        if found is None:
            module, _, class_name = name.rpartition(".")
            try:
                found = getattr(__import__(module, fromlist=[class_name]), class_name)
            except Exception as error:
                raise SerializationException(f"Unable to resolve class {name} from installed modules: {error}")
            self._classes[name] = found
        return found


def _primitive_reader(obj_type: type) -> Reader:
    def read(payload):
        if payload is None:
            return None
        try:
            return obj_type(payload)
        except UnicodeEncodeError:
            return str(payload)
        except TypeError:
            return payload
        except ValueError:
            raise SerializationException(f"Failed to parse {payload} into '{obj_type.__name__}' object")
    return read


def _time_reader(obj_type: type) -> Reader:
    def read(payload):
        if payload is None:
            return None
        found = _ALEXA_TIME.match(payload) if isinstance(payload, str) else None
        if found is not None:
            try:
                parsed = datetime(*map(int, found.groups()), tzinfo=_UTC)
            except ValueError:
                parsed = None  # not a real time: dateutil says so, as before
            if parsed is not None:
                return parsed.date() if obj_type is date else parsed
        from dateutil.parser import parse

        try:
            parsed = parse(payload)
        except ValueError:
            raise SerializationException(f"Failed to parse {payload} into '{obj_type.__name__}' object")
        return parsed.date() if obj_type is date else parsed
    return read


class ModelWriter:
    """`write(model)`: the JSON-ready value ask-sdk's DefaultSerializer.serialize makes of a
    response (the same keys in the same order), with each model class's fields listed once."""

    def __init__(self) -> None:
        self._fields: dict[type, tuple[tuple[str, str], ...]] = {}

    def write(self, obj: Any) -> Any:
        if obj is None:
            return None
        if isinstance(obj, DefaultSerializer.PRIMITIVE_TYPES):
            return obj
        if isinstance(obj, list):
            return [self.write(item) for item in obj]
        if isinstance(obj, tuple):
            return tuple(self.write(item) for item in obj)
        if isinstance(obj, (datetime, date)):
            return obj.isoformat()
        if isinstance(obj, Enum):
            return obj.value
        if isinstance(obj, decimal.Decimal):
            return int(obj) if obj % 1 == 0 else float(obj)
        if isinstance(obj, dict):
            return {key: self.write(value) for key, value in obj.items()}
        fields = self._fields.get(type(obj))
        if fields is None:
            attribute_map = getattr(obj, "attribute_map", {})
            attribute_map.update({k: k for k in obj.deserialized_types if k not in attribute_map})  # as ask-sdk
            fields = self._fields[type(obj)] = tuple((a, attribute_map[a]) for a in obj.deserialized_types)
        out = {}
        for attribute, key in fields:
            value = getattr(obj, attribute)
            if value is not None:
                out[key] = self.write(value)
        return out
