"""Exceptions raised by the mlcost client."""


class MlcostError(Exception):
    """Base class of every error the client raises on purpose."""


class ApiError(MlcostError):
    """The server refused a request (4xx): the message is the server's.

    Attributes: status (HTTP status), error_code (e.g. "INVALID_PARAMETER_VALUE"), message.
    """

    def __init__(self, status, error_code, message):
        super().__init__("%s (HTTP %d): %s" % (error_code, status, message))
        self.status = status
        self.error_code = error_code
        self.message = message


class ServerUnavailable(MlcostError):
    """The server could not be reached, timed out or answered 408/429/5xx: worth retrying."""


class CheckpointError(MlcostError):
    """A checkpoint store operation failed (I/O error, S3 error, bad name)."""
