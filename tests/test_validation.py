import pytest

from corpus_tools.validation import ParameterError, check_choice, check_existing_path, check_number


def test_messages_name_the_parameter_and_allowed_values():
    with pytest.raises(
        ParameterError,
        match=r"`window` value = 'page' is invalid; value must be one of \['sentence', 'paragraph'\]",
    ):
        check_choice("window", "page", ["sentence", "paragraph"])
    with pytest.raises(ParameterError, match=r"`top_n` value = -1 is invalid; value must be >= 1"):
        check_number("top_n", -1, minimum=1)
    with pytest.raises(
        ParameterError, match="`top_n` value = 'x' is invalid; value must be a finite number"
    ):
        check_number("top_n", "x")
    with pytest.raises(ParameterError, match="`corpus` value = '/no/such/dir'"):
        check_existing_path("corpus", "/no/such/dir")


def test_valid_values_pass_through(tmp_path):
    assert check_choice("w", "a", ["a"]) == "a"
    assert check_number("n", 3, minimum=1) == 3
    assert check_existing_path("p", tmp_path) == tmp_path
