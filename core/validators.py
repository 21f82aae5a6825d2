"""Django validators shared by the portal's forms and the API's serializers (one rule, both input paths)."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from common.validators.text import control_character_at


@deconstructible
class SingleLineTextValidator:
    """Reject names and titles holding a line break or another control character (tab, NUL, DEL, U+2028 …)."""

    code = "control_character"

    def __call__(self, value: str) -> None:
        position = control_character_at(str(value))
        if position is not None:
            raise ValidationError(
                "不能包含换行或控制字符（第 %(position)d 个字符）/ "
                "must not contain line breaks or control characters (character %(position)d)",
                code=self.code,
                params={"position": position},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineTextValidator)

    def __hash__(self) -> int:
        return hash(SingleLineTextValidator)


single_line_text = SingleLineTextValidator()
