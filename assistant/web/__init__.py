"""Web front ends over :class:`assistant.service.Service`: the REST API, the
embeddable widget and the operator example page (:mod:`assistant.web.app`),
and the Gradio UI mounted at ``/``. They hold no logic of their own."""
