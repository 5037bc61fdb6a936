"""The error tree's user-facing shape, and how a refused unique key becomes a `Conflict`."""

from __future__ import annotations

from graph._database import unique_key_taken
from graph._neo4j_errors import storage_failed
from graph.errors import Conflict, FieldError, NotFound, StorageFailed


def test_not_found_names_its_field() -> None:
    error = NotFound("no CI has the id x", field="id")

    assert error.errors == [FieldError("id", "no CI has the id x", "NOT_FOUND")]
    assert str(error) == "no CI has the id x"


def test_one_error_can_name_two_fields() -> None:
    error = NotFound("no CI has the id a", field="from", more=[("to", "no CI has the id b")])

    assert error.errors == [
        FieldError("from", "no CI has the id a", "NOT_FOUND"),
        FieldError("to", "no CI has the id b", "NOT_FOUND"),
    ]
    assert str(error) == "from: no CI has the id a; to: no CI has the id b"


def test_a_composite_unique_key_is_named_with_its_values() -> None:
    error = unique_key_taken(
        "Node(9) already exists with label `CI` and properties `class` = 'Server', "
        "`serialNumber` = 'SN-1'"
    )

    assert isinstance(error, Conflict)
    [field_error] = error.errors
    assert (field_error.field, field_error.code) == ("input", "CONFLICT")
    assert field_error.message.startswith(
        "a CI with class 'Server' and serialNumber 'SN-1' exists already: class and"
        " serialNumber must be unique together"
    )


def test_a_single_unique_key_is_named_with_its_value() -> None:
    error = unique_key_taken("Node(3) already exists with label `CI` and property `id` = 'x'")

    assert error.message.startswith("a CI with id 'x' exists already: id must be unique;")


def test_an_unknown_message_is_kept_whole() -> None:
    assert unique_key_taken("something else").message == (
        "the write clashes with a unique key: something else"
    )


def test_a_transaction_log_that_cannot_be_written_is_a_storage_failure() -> None:
    error = storage_failed(
        "Neo.DatabaseError.Transaction.TransactionLogError",
        "Could not append transaction: Transaction #8 {...} to log.",
    )
    assert isinstance(error, StorageFailed)
    assert "is its disk full?" in str(error)


def test_a_panicked_database_is_a_storage_failure_that_asks_for_a_restart() -> None:
    error = storage_failed(
        "Neo.DatabaseError.Transaction.TransactionStartFailed",
        "The database has encountered a critical error, and needs to be restarted. Please see "
        "database logs for more details.",
    )
    assert isinstance(error, StorageFailed)
    assert "until Neo4j is restarted" in str(error)


def test_other_database_errors_are_no_storage_failure() -> None:
    assert storage_failed("Neo.DatabaseError.General.UnknownError", "boom") is None
    assert storage_failed("Neo.ClientError.Statement.SyntaxError", "needs to be restarted") is None
