import Foundation

/// The URL parts of one bucket (and key) on a service: what the request goes to and what is signed.
struct S3Location: Sendable {
    /// `scheme://host[:port]`.
    let origin: String
    /// The `Host` header's value: the origin's host, and its port when it is not the scheme's default.
    let host: String
    /// Unencoded, as `SigV4Request.path` wants it.
    let path: String

    init(configuration: S3Configuration, bucket: String, key: String?) {
        let endpoint = configuration.endpoint
        let scheme = endpoint.scheme ?? "https"
        var hostName = endpoint.host ?? ""
        var path = "/"
        switch configuration.addressing {
        case .pathStyle:
            path += bucket
            if let key { path += "/" + key }
        case .virtualHosted:
            hostName = bucket + "." + hostName
            path += key ?? ""
        }
        let defaultPort = scheme == "http" ? 80 : 443
        host = endpoint.port.map { $0 == defaultPort ? hostName : "\(hostName):\($0)" } ?? hostName
        origin = "\(scheme)://\(host)"
        self.path = path
    }

    /// The URL with path and query encoded exactly as they are signed, so the server sees what was signed.
    func url(query: [URLQueryItem]) -> String {
        var url = origin + AWSPercentEncoding.encodePath(path)
        if !query.isEmpty {
            url += "?" + query.map { item in
                let name = AWSPercentEncoding.encodeQueryComponent(item.name)
                return item.value.map { "\(name)=\(AWSPercentEncoding.encodeQueryComponent($0))" } ?? name
            }.joined(separator: "&")
        }
        return url
    }
}
