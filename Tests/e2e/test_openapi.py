"""The OpenAPI document the API serves (Sources/API/openapi.yaml, embedded by
scripts/embed-openapi) is a valid OpenAPI 3.1 document. OpenAPIDocumentTests, in Swift, checks
that it lists exactly the routes the router serves and that its schemas match the JSON written."""
import pathlib

from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.readers import read_from_filename

DOCUMENT = pathlib.Path(__file__).resolve().parents[2] / "Sources" / "API" / "openapi.yaml"


def load():
    document, _ = read_from_filename(str(DOCUMENT))
    return document


def test_the_document_is_valid_openapi_3_1():
    document = load()
    assert document["openapi"].startswith("3.1.")
    validate(document, cls=OpenAPIV31SpecValidator)


def test_every_operation_has_an_id_and_a_success_response():
    document = load()
    ids = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            ids.append(operation["operationId"])
            assert any(code.startswith("2") for code in operation["responses"]), f"{method.upper()} {path}"
    assert len(ids) == len(set(ids))


def test_a_broken_document_is_refused():
    # The validator does look: a path parameter the path does not declare is an error.
    document = load()
    document["paths"]["/v1/recordings/{id}"]["parameters"] = []
    try:
        validate(document, cls=OpenAPIV31SpecValidator)
    except Exception:
        return
    raise AssertionError("a document with an undeclared path parameter validated")
