"""Input fields that take exactly the JSON type the schema gives them.

DRF's own fields coerce: `"description": 0` is stored as "0", `"position": "3"` as 3 and
`"approximate": "yes"` as True. The schema promises a string, an integer, a boolean; so a
value of another JSON type is a 400 naming the field ("Must be a string, not an integer.").
Every model serializer gets these through `STRICT_FIELD_MAPPING` (api/serializers.py).
"""

from decimal import Decimal

from rest_framework import relations, serializers
from rest_framework.serializers import ModelSerializer


def json_type(value):
    """The JSON type of a parsed value, as a message names it."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else type(value).__name__


class StrictTypeMixin:
    json_types = ("a string",)

    def to_internal_value(self, data):
        given = json_type(data)
        if given not in self.json_types:
            raise serializers.ValidationError(
                f"Must be {' or '.join(self.json_types)}, not {given}.", code="invalid"
            )
        return super().to_internal_value(data)


class StrictCharField(StrictTypeMixin, serializers.CharField):
    def to_internal_value(self, data):
        # The schema's maxLength counts what the client sends; DRF counts after trimming
        # the whitespace around it, so " " + a full-length name would pass.
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class StrictURLField(StrictCharField, serializers.URLField):
    pass


class StrictEmailField(StrictCharField, serializers.EmailField):
    pass


class StrictChoiceField(StrictTypeMixin, serializers.ChoiceField):
    pass


class StrictIntegerField(StrictTypeMixin, serializers.IntegerField):
    json_types = ("an integer",)


class StrictFloatField(StrictTypeMixin, serializers.FloatField):
    json_types = ("a number", "an integer")


class StrictDecimalField(StrictTypeMixin, serializers.DecimalField):
    # The schema gives decimals as strings ("2500.5"), as DRF writes them: exact, unlike
    # a JSON number.
    pass


class StrictBooleanField(StrictTypeMixin, serializers.BooleanField):
    json_types = ("a boolean",)


class StrictManyRelatedField(StrictTypeMixin, relations.ManyRelatedField):
    # DRF's takes any iterable but a string: `"builds_on": {}` was read as [].
    json_types = ("an array",)


class StrictRelatedFieldMixin:
    """For a related field: with many=True, its list takes arrays only."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in relations.MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return StrictManyRelatedField(**list_kwargs)


STRICT = {
    serializers.CharField: StrictCharField,
    serializers.SlugField: StrictSlugField,
    serializers.URLField: StrictURLField,
    serializers.EmailField: StrictEmailField,
    serializers.IntegerField: StrictIntegerField,
    serializers.FloatField: StrictFloatField,
    serializers.DecimalField: StrictDecimalField,
    serializers.BooleanField: StrictBooleanField,
}

# ModelSerializer's model field → serializer field table, with the strict fields.
STRICT_FIELD_MAPPING = {
    model_field: STRICT.get(field, field)
    for model_field, field in ModelSerializer.serializer_field_mapping.items()
}
