"""SSM documents (stored, versioned), tags on parameters and documents, and a stored, honest
minimal answer for the other SSM areas (commands, inventory, maintenance windows, ...):
the call is recorded and answered with the output shape's empty lists."""

from __future__ import annotations

import hashlib
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import offset_page
from ..base import snake_case
from .parameters import ParameterOperations, timestamp
from .state import Document, DocumentVersion


def _no_document(name: str) -> AWSError:
    return AWSError("InvalidDocument", f"Document with name {name} does not exist.")


class DocumentOperations(ParameterOperations):

    def _description(self, ctx: RequestContext, doc: Document, version: DocumentVersion) -> dict[str, Any]:
        latest = doc.versions[-1].version
        out = {"Name": doc.name, "Status": "Active", "DocumentType": doc.document_type,
               "DocumentFormat": doc.document_format, "DocumentVersion": version.version,
               "LatestVersion": latest, "DefaultVersion": doc.default_version, "CreatedDate": timestamp(doc.created),
               "Owner": ctx.account_id, "SchemaVersion": "2.2", "PlatformTypes": ["Linux", "MacOS", "Windows"],
               "Hash": hashlib.sha256(version.content.encode()).hexdigest(), "HashType": "Sha256",
               "Tags": [{"Key": k, "Value": v} for k, v in doc.tags.items()]}
        if version.version_name:
            out["VersionName"] = version.version_name
        if doc.target_type:
            out["TargetType"] = doc.target_type
        return out

    def _document(self, ctx: RequestContext, name: str) -> Document:
        doc = self.store.for_ctx(ctx).documents.get(name)
        if doc is None:
            raise _no_document(name)
        return doc

    def _version(self, doc: Document, number: str | None, version_name: str | None) -> DocumentVersion:
        number = doc.versions[-1].version if number == "$LATEST" else (number or None)
        for version in doc.versions:
            if (number is None or version.version == number) and (version_name is None or version.version_name == version_name):
                if number is None and version_name is None and version.version != doc.default_version:
                    continue
                return version
        raise AWSError("InvalidDocumentVersion", "The document version is not valid or does not exist.")

    def create_document(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            if p["Name"] in state.documents:
                raise AWSError("DocumentAlreadyExists", "Document with same name already exists.")
            now = ctx.clock.now()
            doc = Document(p["Name"], p.get("DocumentType") or "Command", p.get("DocumentFormat") or "JSON", now,
                           [DocumentVersion("1", p["Content"], now, p.get("VersionName"))],
                           target_type=p.get("TargetType"),
                           tags={t["Key"]: t["Value"] for t in p.get("Tags") or []})
            state.documents[doc.name] = doc
        return {"DocumentDescription": self._description(ctx, doc, doc.versions[0])}

    def get_document(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        doc = self._document(ctx, p["Name"])
        version = self._version(doc, p.get("DocumentVersion"), p.get("VersionName"))
        out = {"Name": doc.name, "Content": version.content, "DocumentVersion": version.version, "Status": "Active",
               "DocumentType": doc.document_type, "DocumentFormat": doc.document_format,
               "CreatedDate": timestamp(version.created)}
        if version.version_name:
            out["VersionName"] = version.version_name
        return out

    def describe_document(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        doc = self._document(ctx, p["Name"])
        return {"Document": self._description(ctx, doc, self._version(doc, p.get("DocumentVersion"),
                                                                      p.get("VersionName")))}

    def update_document(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        doc = self._document(ctx, p["Name"])
        with self.store.lock:
            if any(v.content == p["Content"] for v in doc.versions):
                raise AWSError("DuplicateDocumentContent", "The content of the association document matches another "
                               "document. Change the content of the document and try again.")
            version = DocumentVersion(str(int(doc.versions[-1].version) + 1), p["Content"], ctx.clock.now(),
                                      p.get("VersionName"))
            doc.versions.append(version)
        return {"DocumentDescription": self._description(ctx, doc, version)}

    def update_document_default_version(self, ctx: RequestContext) -> dict[str, Any]:
        doc = self._document(ctx, ctx.params["Name"])
        version = self._version(doc, ctx.params["DocumentVersion"], None)
        doc.default_version = version.version
        return {"Description": {"Name": doc.name, "DefaultVersion": version.version}}

    def delete_document(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            if self.store.for_ctx(ctx).documents.pop(ctx.params["Name"], None) is None:
                raise _no_document(ctx.params["Name"])
        return {}

    def list_documents(self, ctx: RequestContext) -> dict[str, Any]:
        docs = sorted(list(self.store.for_ctx(ctx).documents.values()), key=lambda d: d.name)
        page, token = offset_page(docs, ctx.params.get("NextToken"), ctx.params.get("MaxResults") or 50,
                                  bad_token=lambda: AWSError("InvalidNextToken", "The specified token isn't valid."),
                                  scope="documents")
        out: dict[str, Any] = {"DocumentIdentifiers": [
            {"Name": d.name, "Owner": ctx.account_id, "DocumentType": d.document_type,
             "DocumentFormat": d.document_format, "DocumentVersion": d.default_version,
             "CreatedDate": timestamp(d.created), "SchemaVersion": "2.2",
             "Tags": [{"Key": k, "Value": v} for k, v in d.tags.items()]} for d in page]}
        if token:
            out["NextToken"] = token
        return out

    def list_document_versions(self, ctx: RequestContext) -> dict[str, Any]:
        doc = self._document(ctx, ctx.params["Name"])
        return {"DocumentVersions": [
            {"Name": doc.name, "DocumentVersion": v.version, "CreatedDate": timestamp(v.created),
             "IsDefaultVersion": v.version == doc.default_version, "DocumentFormat": doc.document_format,
             "Status": "Active", **({"VersionName": v.version_name} if v.version_name else {})} for v in doc.versions]}

    # -- tags -------------------------------------------------------------------------------
    def _tags(self, ctx: RequestContext) -> dict[str, str]:
        kind, resource = ctx.params["ResourceType"], ctx.params["ResourceId"]
        if kind == "Parameter":
            parameter = self.live(ctx, self.plain_name(resource))
            if parameter is None:
                raise AWSError("InvalidResourceId", "The resource ID is not valid. Verify that you entered the "
                               "correct ID and try again.")
            return parameter.tags
        if kind == "Document":
            return self._document(ctx, resource).tags
        return self.store.for_ctx(ctx).other_tags.setdefault((kind, resource), {})

    def add_tags_to_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self._tags(ctx)
            merged = {**tags, **{t["Key"]: t["Value"] for t in ctx.params["Tags"]}}
            if len(merged) > 50:
                raise AWSError("TooManyTagsError", "The Targets parameter includes too many tags. Remove one or more "
                               "tags and try the command again.")
            tags.update(merged)
        return {}

    def remove_tags_from_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self._tags(ctx)
            for key in ctx.params["TagKeys"]:
                tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        return {"TagList": [{"Key": k, "Value": v} for k, v in self._tags(ctx).items()]}

    # -- everything else ---------------------------------------------------------------------
    def handle_request(self, ctx: RequestContext) -> Any:
        if callable(getattr(self, snake_case(ctx.operation), None)):
            return super().handle_request(ctx)
        return self.shallow_answer(ctx)

    def shallow_answer(self, ctx: RequestContext) -> dict[str, Any]:
        """Record the call; answer with the output shape's list members empty (nothing found)."""
        with self.store.lock:
            self.store.for_ctx(ctx).calls.setdefault(ctx.operation, []).append(dict(ctx.params))
        shape = self.model.operation_model(ctx.operation).output_shape
        if shape is None:
            return {}
        return {name: [] for name, member in shape.members.items() if member.type_name == "list"}


