"""Staff actions: every change to a row that carries a rule, as a form and one service call.

``framework`` says what an action is and ``pages`` serves every action the same
way; neither knows an entity. Each area's module (``courses``, ``registrations``,
``students``, ``staff``) declares its actions and the mixin that gives its view
the buttons, ``search`` answers the forms' student picker, and ``registry``
lists them all for the app.
"""
