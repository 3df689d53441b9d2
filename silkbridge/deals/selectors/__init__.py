"""The deals app's reads. Every visibility rule of deals, calls, proposals, reviews and MoUs lives here,
once, so that pages, API, exports, search, e-mail and dashboard figures cannot disagree."""
