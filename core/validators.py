"""Django validators shared by the portal's forms and the API's serializers (one rule, both input paths)."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from common.validators.text import SINGLE_LINE_MESSAGE_EN, SINGLE_LINE_MESSAGE_ZH, control_character_at
from core.formatting import bilingual


@deconstructible
class SingleLineTextValidator:
    """Reject names and titles holding a line break or another control character (tab, NUL, DEL, U+2028 …).

    The imports apply the same rule with the same message to each row (common.validators.text.single_line_issue).
    """

    code = "control_character"

    def __call__(self, value: str) -> None:
        position = control_character_at(str(value))
        if position is not None:
            raise ValidationError(
                bilingual(f"{SINGLE_LINE_MESSAGE_ZH}/ {SINGLE_LINE_MESSAGE_EN}"),  # English first in the English UI
                code=self.code,
                params={"position": position},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineTextValidator)

    def __hash__(self) -> int:
        return hash(SingleLineTextValidator)


single_line_text = SingleLineTextValidator()
