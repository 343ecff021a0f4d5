import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFileSystem
import NIOFoundationCompat
import NIOHTTP1

extension S3Client {
    /// Starts a multipart upload; returns its upload id.
    public func createMultipartUpload(bucket: String, key: String, contentType: String? = nil) async throws -> String {
        let result = try await sendForXML(
            "CreateMultipartUpload", method: .POST, bucket: bucket, key: key, query: [URLQueryItem(name: "uploads", value: nil)],
            headers: Self.contentTypeHeaders(contentType))
        guard let uploadID = result.root.text("UploadId"), !uploadID.isEmpty else {
            throw S3ProtocolError.malformedResponse("CreateMultipartUpload without UploadId")
        }
        return uploadID
    }

    /// Uploads bytes `range` of `file` as part `partNumber` (1…10,000).
    public func uploadPart(
        bucket: String, key: String, uploadID: String, partNumber: Int, file: FilePath, range: Range<Int64>
    ) async throws -> UploadedPart {
        try await send(
            "UploadPart", method: .PUT, bucket: bucket, key: key,
            query: [URLQueryItem(name: "partNumber", value: String(partNumber)), URLQueryItem(name: "uploadId", value: uploadID)],
            body: .file(path: file, range: range)
        ) { response in
            guard let etag = response.headers.first(name: "etag") else {
                throw S3ProtocolError.malformedResponse("UploadPart without ETag")
            }
            return UploadedPart(partNumber: partNumber, etag: etag, size: Int64(range.count))
        }
    }

    /// Joins `parts` (in part-number order) into the object; returns its ETag.
    @discardableResult
    public func completeMultipartUpload(
        bucket: String, key: String, uploadID: String, parts: [UploadedPart]
    ) async throws -> String? {
        let body = S3XML.element("CompleteMultipartUpload", parts.sorted { $0.partNumber < $1.partNumber }.map {
            S3XML.element("Part", [S3XML.element("PartNumber", text: String($0.partNumber)), S3XML.element("ETag", text: $0.etag)])
        })
        let result = try await sendForXML(
            "CompleteMultipartUpload", method: .POST, bucket: bucket, key: key,
            query: [URLQueryItem(name: "uploadId", value: uploadID)], body: .bytes(ByteBuffer(string: body)))
        return result.root.text("ETag")
    }

    /// Drops the upload and every part the server holds for it.
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        try await send(
            "AbortMultipartUpload", method: .DELETE, bucket: bucket, key: key,
            query: [URLQueryItem(name: "uploadId", value: uploadID)]) { _ in }
    }

    /// Every part the server holds for the upload, in part-number order (all pages).
    public func listParts(bucket: String, key: String, uploadID: String) async throws -> [UploadedPart] {
        var parts: [UploadedPart] = []
        var marker: String?
        repeat {
            var query = [URLQueryItem(name: "uploadId", value: uploadID)]
            if let marker { query.append(URLQueryItem(name: "part-number-marker", value: marker)) }
            let page = try await sendForXML("ListParts", method: .GET, bucket: bucket, key: key, query: query)
            for part in page.root.elements(named: "Part") {
                guard let number = part.text("PartNumber").flatMap({ Int($0) }), let etag = part.text("ETag"),
                      let size = part.text("Size").flatMap({ Int64($0) })
                else { throw S3ProtocolError.malformedResponse("ListParts: a Part without PartNumber, ETag or Size") }
                parts.append(UploadedPart(partNumber: number, etag: etag, size: size))
            }
            marker = page.root.text("IsTruncated") == "true" ? page.root.text("NextPartNumberMarker") : nil
        } while marker != nil
        return parts
    }

    /// The incomplete multipart uploads in the bucket whose keys start with `prefix` (all pages).
    public func listMultipartUploads(bucket: String, prefix: String = "") async throws -> [MultipartUploadSummary] {
        var uploads: [MultipartUploadSummary] = []
        var markers: (key: String, uploadID: String)?
        repeat {
            var query = [URLQueryItem(name: "uploads", value: nil), URLQueryItem(name: "prefix", value: prefix)]
            if let markers {
                query += [URLQueryItem(name: "key-marker", value: markers.key),
                          URLQueryItem(name: "upload-id-marker", value: markers.uploadID)]
            }
            let page = try await sendForXML("ListMultipartUploads", method: .GET, bucket: bucket, query: query)
            for upload in page.root.elements(named: "Upload") {
                guard let key = upload.text("Key"), let uploadID = upload.text("UploadId") else {
                    throw S3ProtocolError.malformedResponse("ListMultipartUploads: an Upload without Key or UploadId")
                }
                uploads.append(MultipartUploadSummary(key: key, uploadID: uploadID))
            }
            markers = nil
            if page.root.text("IsTruncated") == "true", let key = page.root.text("NextKeyMarker") {
                markers = (key, page.root.text("NextUploadIdMarker") ?? "")
            }
        } while markers != nil
        return uploads
    }

    /// An operation whose answer is an XML document. S3 can accept a request and still fail it
    /// in a 200 response whose body is an `<Error>` (CompleteMultipartUpload does): that is an
    /// `S3Error` like any other, retried if it says so.
    func sendForXML(
        _ operation: String, method: HTTPMethod, bucket: String, key: String? = nil, query: [URLQueryItem] = [],
        headers: HTTPHeaders = [:], body: S3RequestBody = .empty
    ) async throws -> S3XML {
        try await send(operation, method: method, bucket: bucket, key: key, query: query, headers: headers, body: body) {
            response in
            let data = Data(buffer: try await response.body.collect(upTo: Self.maxXMLBodySize))
            let xml = try S3XML(data)
            if xml.root.name == "Error" {
                throw S3Error(operation: operation, status: Int(response.status.code), body: data)
            }
            return xml
        }
    }
}
