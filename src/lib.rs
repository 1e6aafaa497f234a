//! frontdesk: the library behind the `frontdesk` binary.
