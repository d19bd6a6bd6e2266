"""The API's routers, one module per service group."""
