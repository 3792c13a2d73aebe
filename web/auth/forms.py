"""Flask-WTF forms for logging in and registering (CSRF-protected)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from engine.people.users import MIN_PASSWORD, USERNAME_RE


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码"))])


class RegisterForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[
        DataRequired(_l("请输入用户名")),
        Regexp(USERNAME_RE, message=_l("用户名须为 3–80 个字母、数字或 _ . - 字符"))])
    password = PasswordField(_l("密码"), validators=[
        DataRequired(_l("请输入密码")),
        Length(min=MIN_PASSWORD, message=_l("密码至少 8 个字符"))])
    confirm = PasswordField(_l("确认密码"), validators=[
        EqualTo("password", message=_l("两次输入的密码不一致"))])
    display_name = StringField(_l("姓名或称呼"), validators=[
        DataRequired(_l("请输入姓名或称呼")), Length(max=120)])
    phone = StringField(_l("手机号码"), validators=[
        DataRequired(_l("请输入手机号码")),
        Regexp(r"^\+?[0-9][0-9 \-]{5,19}$", message=_l("请输入有效的电话号码"))])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码"))])
    password = PasswordField(_l("新密码"), validators=[
        DataRequired(_l("请输入新密码")),
        Length(min=MIN_PASSWORD, message=_l("密码至少 8 个字符"))])
    confirm = PasswordField(_l("确认新密码"), validators=[
        EqualTo("password", message=_l("两次输入的密码不一致"))])
